/**
 * An index from task id to task position, for one plan at a time: an
 * open-addressing hash table of positions in a typed array, with ids
 * compared by value. It costs less than a `Map` of the same ids because it
 * allocates nothing per id and its table is reused from call to call.
 *
 * The index is valid until the next `IdIndex.build`: the table is shared, so
 * a caller must finish its lookups first. Building runs synchronously and
 * never re-enters itself.
 */

/**
 * Seed of the id hash, random per process, so that ids chosen to collide
 * under one seed rarely collide under another.
 * NOTE: FNV-1a is not a keyed hash, so the seed makes collision attacks
 * harder but does not rule them out as a keyed hash such as SipHash would.
 */
const HASH_SEED = (Math.random() * 0x100000000) >>> 0;

let sharedTable = new Int32Array(1024);

/** Returns the 32-bit FNV-1a hash of `text`, started from HASH_SEED. */
function hashId(text: string): number {
  let hash = 0x811c9dc5 ^ HASH_SEED;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  return hash;
}

export class IdIndex {
  private constructor(
    private readonly ids: readonly string[],
    private readonly table: Int32Array,
    private readonly mask: number,
  ) {}

  /**
   * Indexes `ids`. Returns the index, or the position of the first id that
   * repeats an earlier one, with that earlier position.
   */
  static build(ids: readonly string[]): IdIndex | { duplicate: number; earlier: number } {
    let capacity = 1024;
    while (capacity < 2 * ids.length) capacity *= 2;
    if (sharedTable.length < capacity) sharedTable = new Int32Array(capacity);
    const table = sharedTable;
    table.fill(0, 0, capacity);
    const mask = capacity - 1;

    // Slots hold position + 1, so 0 marks an empty slot.
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      let slot = hashId(id) & mask;
      for (;;) {
        const entry = table[slot]!;
        if (entry === 0) {
          table[slot] = i + 1;
          break;
        }
        if (ids[entry - 1] === id) return { duplicate: i, earlier: entry - 1 };
        slot = (slot + 1) & mask;
      }
    }
    return new IdIndex(ids, table, mask);
  }

  /** Returns the position of `id`, or undefined when no task has it. */
  get(id: string): number | undefined {
    let slot = hashId(id) & this.mask;
    for (;;) {
      const entry = this.table[slot]!;
      if (entry === 0) return undefined;
      if (this.ids[entry - 1] === id) return entry - 1;
      slot = (slot + 1) & this.mask;
    }
  }
}
