// sorted-btree is CommonJS with a default export; under Node's ESM interop the
// class is the `default` property of the module object.
import sortedBtree from 'sorted-btree';

export const BTreeClass = sortedBtree.default;
export type BTree<K, V> = InstanceType<typeof sortedBtree.default<K, V>>;
