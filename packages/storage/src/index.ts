export {
  listAll,
  type GetOptions,
  type ListOptions,
  type ListPage,
  type ObjectBody,
  type ObjectInfo,
  type ObjectKey,
  type ObjectStore,
  type PutOptions,
  type PutResult,
} from './object-store.js';
