// A mutable map kept in key order, made for keys that mostly come in
// increasing order (the queue's sequence numbers): a doubly linked list of
// nodes, indexed by a Map. Adding the largest key links a node at the tail
// and removing any key unlinks its node, both O(1), and nothing that stays
// in the map is copied or moved, so a long-lived store does not keep
// handing the garbage collector fresh arrays to promote (a B-tree's
// node arrays are spliced on every insert and delete). A key that arrives
// out of order (a persistent map going back to an old version) walks from
// the tail to its place.

interface Node<K, V> {
  readonly key: K;
  value: V;
  prev: Node<K, V> | null;
  next: Node<K, V> | null;
}

export class OrderedStore<K, V> {
  private readonly index = new Map<K, Node<K, V>>();
  private head: Node<K, V> | null = null;
  private tail: Node<K, V> | null = null;

  constructor(private readonly compare: (a: K, b: K) => number) {}

  get size(): number {
    return this.index.size;
  }

  get(key: K): V | undefined {
    return this.index.get(key)?.value;
  }

  has(key: K): boolean {
    return this.index.has(key);
  }

  set(key: K, value: V): void {
    const known = this.index.get(key);
    if (known !== undefined) {
      known.value = value;
      return;
    }
    // After the last node whose key is smaller: the tail, nearly always.
    let after = this.tail;
    while (after !== null && this.compare(after.key, key) > 0) after = after.prev;
    const node: Node<K, V> = {
      key,
      value,
      prev: after,
      next: after === null ? this.head : after.next,
    };
    if (node.next === null) this.tail = node;
    else node.next.prev = node;
    if (after === null) this.head = node;
    else after.next = node;
    this.index.set(key, node);
  }

  delete(key: K): void {
    const node = this.index.get(key);
    if (node === undefined) return;
    if (node.prev === null) this.head = node.next;
    else node.prev.next = node.next;
    if (node.next === null) this.tail = node.prev;
    else node.next.prev = node.prev;
    this.index.delete(key);
  }

  /** The value at the smallest key. */
  first(): V | undefined {
    return this.head?.value;
  }

  /** The entries in key order. */
  entries(): [K, V][] {
    const out: [K, V][] = [];
    for (let n = this.head; n !== null; n = n.next) out.push([n.key, n.value]);
    return out;
  }
}
