/**
 * Values computed once per key, for keys that come back again and again (a destination's
 * URL, a signing secret, a host, a filter's pattern). Bounded: past `capacity` keys it
 * starts over, so a stream of one-off keys costs memory up to the bound and the usual
 * keys one recomputation each. A key whose computation throws is not remembered.
 */
export class Memo<K, V> {
  private readonly values = new Map<K, V>();

  constructor(
    private readonly capacity: number,
    private readonly compute: (key: K) => V,
  ) {}

  get(key: K): V {
    let value = this.values.get(key);
    if (value === undefined) {
      value = this.compute(key);
      if (this.values.size >= this.capacity) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }
}
