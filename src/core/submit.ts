import { ProviderError } from './errors.ts';
import type { Family, SongProvider, SubmitOptions, Submitted } from './provider.ts';
import { kindOf, type Lineage, type SongRequest, type TaskRecord } from './records.ts';
import { callTool } from './studio.ts';
import type { SubmitInput } from './tracker-types.ts';

/** Sends the request to the provider (validating it first); throws ProviderError as the adapter does. */
export function callProvider(provider: SongProvider, request: SongRequest, options: SubmitOptions): Promise<Submitted> {
	switch (request.action) {
		case 'generate':
			provider.validate(request.request);
			return provider.generate(request.request, options);
		case 'extend':
			provider.validate(request.request);
			return provider.extend(request.request, options);
		case 'cover':
			provider.validate(request.request);
			return provider.cover(request.request, options);
		case 'lyrics':
			return provider.lyrics(request.prompt, options);
		case 'upload':
			return provider.upload(request.audioUrl, options);
		case 'concat':
			return provider.concat(request.source, options);
		case 'tool':
			return callTool(provider.studio, request.tool, options, (name) => toolUnsupported(provider.family, name));
	}
}

/** What an adapter without a tool answers (the core may not import the adapters' helper). */
function toolUnsupported(family: Family, name: string): ProviderError {
	// The kind's own text, which each front end shows in its reader's language.
	return new ProviderError({ kind: 'unsupported', detail: `${family} has no ${name} tool` });
}

/** The first record of an accepted task. */
export function recordFor(taskId: string, family: Family, input: SubmitInput, at: number): TaskRecord {
	const lineage = input.lineage ?? lineageOf(input.request);
	return {
		v: 1,
		id: taskId,
		family,
		kind: kindOf(input.request),
		request: input.request,
		requester: input.requester,
		place: input.place,
		...(lineage ? { lineage } : {}),
		...(input.credits?.length ? { credits: input.credits } : {}),
		...(input.quota ? { quota: input.quota } : {}),
		...(input.charge ? { charge: input.charge } : {}),
		state: { status: 'submitted' },
		clips: [],
		createdAt: at,
		updatedAt: at,
		lastProgressAt: at,
	};
}

function lineageOf(request: SongRequest): Lineage | undefined {
	if (request.action !== 'extend') return undefined;
	const { taskId, clipId } = request.request.source;
	const lineage: Lineage = { type: 'extend', clipId };
	if (taskId !== undefined) lineage.taskId = taskId;
	if (request.request.continueAtSec !== undefined) lineage.atSec = request.request.continueAtSec;
	return lineage;
}
