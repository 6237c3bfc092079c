/**
 * What Keyv writes for each value, the same text as its default serializer (@keyv/serialize) for the plain JSON
 * the store holds, in one native `JSON.stringify`: the default walks every value in JavaScript, which was the
 * largest part of the tracker's own CPU time per save (bench/RESULTS.md). Strings that start with a colon are
 * escaped with one more, as the default does, so its deserializer reads old and new rows alike.
 */
export function serialize(data: unknown): string {
	return JSON.stringify(data, escapeColon) ?? 'null';
}

function escapeColon(_key: string, value: unknown): unknown {
	return typeof value === 'string' && value.startsWith(':') ? `:${value}` : value;
}

/**
 * Reads what `serialize` (or Keyv's default) wrote, as Keyv's default deserializer does. That one walks every value
 * in JavaScript to undo the colon escape and revive buffers; a text without a string that starts with a colon (the
 * escape writes it as `"::`, a buffer as `":base64:`) needs neither, and one native `JSON.parse` reads it.
 */
export function deserialize<T>(text: string): T {
	if (!text.includes('"::') && !text.includes('":base64:')) return JSON.parse(text) as T;
	return JSON.parse(text, unescapeColon) as T;
}

function unescapeColon(_key: string, value: unknown): unknown {
	if (typeof value !== 'string' || !value.startsWith(':')) return value;
	return value.startsWith(':base64:') ? Buffer.from(value.slice(8), 'base64') : value.slice(1);
}
