// Go's text for the errno values a state directory can meet (syscall's
// zerrors table on Linux), so that file-system errors read exactly like the
// Go original's `<op> <path>: <text>`.

const GO_ERRNO_TEXT: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EBADF: 'bad file descriptor',
  EBUSY: 'device or resource busy',
  EEXIST: 'file exists',
  EFBIG: 'file too large',
  EINVAL: 'invalid argument',
  EIO: 'input/output error',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
  ENOENT: 'no such file or directory',
  ENOSPC: 'no space left on device',
  ENOTDIR: 'not a directory',
  ENOTEMPTY: 'directory not empty',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EXDEV: 'invalid cross-device link',
  // Not an errno: what every call answers after a simulated process kill.
  EKILLED: 'process killed at a crash point',
  // Not an errno: a unit file that is a FIFO, a device or a socket, which
  // Go would block on or read for ever; relspec refuses to read it.
  ENOTREG: 'not a regular file',
};

/** Go's errno text for a Node error code; an unknown code is shown as itself. */
export const goErrnoText = (code: string): string => GO_ERRNO_TEXT[code] ?? code;
