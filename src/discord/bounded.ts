/** Most entries one of the sink's memories holds before it starts over. */
const MOST = 10_000;

/**
 * What the sink remembers in this process (pings checked or sent, notes on takes, estimates) only saves work or
 * repeats: forgetting all of it costs a search or a read again. A full memory starts over rather than growing
 * without end, which this clears before the caller adds to it.
 */
export function withRoom<M extends { readonly size: number; clear(): void }>(memory: M): M {
	if (memory.size >= MOST) memory.clear();
	return memory;
}
