import type { Clip, TaskSnapshot, TaskStatus } from '../../src/core/provider.ts';
import type { TaskRecord } from '../../src/core/records.ts';

/** Small builders shared by the core and store tests. */

export function newRecord(overrides: Partial<TaskRecord> = {}): TaskRecord {
	return {
		v: 1,
		id: 'task-1',
		family: 'sunoapi',
		kind: 'music',
		request: { action: 'generate', request: { mode: 'custom', model: 'v5', lyrics: '[Verse] la la', title: 'Rain' } },
		requester: { userId: '111111111111111111', name: 'ana' },
		place: { guildId: '222222222222222222', channelId: '333333333333333333', messageId: '444444444444444444' },
		state: { status: 'submitted' },
		clips: [],
		createdAt: 1_000,
		updatedAt: 1_000,
		lastProgressAt: 1_000,
		...overrides,
	};
}

export function clip(id: string, state: Clip['state'], extra: Partial<Clip> = {}): Clip {
	const base: Clip = { id, state, title: 'Rain', lyrics: '[Verse] la la' };
	if (state === 'streaming') base.streamUrl = `https://cdn.example/stream/${id}`;
	if (state === 'complete') base.audioUrl = `https://cdn.example/${id}.mp3`;
	return { ...base, ...extra };
}

export function snapshot(status: TaskStatus, clips: Clip[], extra: Partial<TaskSnapshot> = {}): TaskSnapshot {
	return { taskId: 'task-1', kind: 'music', status, clips, ...extra };
}
