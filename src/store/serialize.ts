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
