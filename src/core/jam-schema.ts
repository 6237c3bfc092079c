import { z } from 'zod';

/** A jam as stored (src/core/jam.ts has its rules): validated when read, so a record in another shape is ignored. */

export const SECTION_TYPES = ['intro', 'verse', 'pre-chorus', 'chorus', 'bridge', 'outro'] as const;
export type SectionType = (typeof SECTION_TYPES)[number];

/**
 * The whole sheet is one Discord message (6,000 characters over its embed), so a section is a field (≤ 1,024) and
 * the sheet holds enough sections for a full song; the song's lyrics stay within every provider's limit too.
 */
export const SECTION_MAX = 400;
export const SECTIONS_MAX = 12;
/** All sections together, so the sheet and the song's lyrics stay one message and one request. */
export const SHEET_TEXT_MAX = 3_200;
/** Style suggestions a poll can offer (Discord allows 10 answers). */
export const POLL_ANSWERS_MAX = 10;
/** Changes the history keeps (the oldest are dropped). */
export const HISTORY_MAX = 50;

const sectionSchema = z.object({
	id: z.number().int().min(1),
	type: z.enum(SECTION_TYPES),
	text: z.string(),
	/** Who wrote the section first. */
	authorId: z.string(),
	/** Who changed it since, oldest first. */
	editorIds: z.array(z.string()),
});
export type JamSection = z.infer<typeof sectionSchema>;

const changeSchema = z.object({
	at: z.number(),
	userId: z.string(),
	action: z.enum(['add', 'edit', 'undo']),
	sectionId: z.number().int(),
	type: z.enum(SECTION_TYPES),
	/** The section as it was before an edit (restored by undo). */
	before: sectionSchema.optional(),
	/** Position of the section in the sheet when an added one was undone, or removed by undo. */
	position: z.number().int().min(0).optional(),
	/** For add/edit: set once undone, so an undo never undoes twice. */
	undone: z.boolean().optional(),
});
export type JamChange = z.infer<typeof changeSchema>;

const partSchema = z.object({
	taskId: z.string(),
	/** The sections this part sings, by id. */
	sectionIds: z.array(z.number().int()),
	askedBy: z.string(),
});
export type JamPart = z.infer<typeof partSchema>;

/** How far the close has come (src/core/jam-close.ts): each step is done once, the close retried until all are. */
const closingSchema = z.object({
	/** The final card in the thread, once posted: a retry never posts a second one. */
	cardMessageId: z.string().optional(),
	/** When the card was first sent: a retry without its id looks for it in the thread before sending again. */
	cardSentAt: z.number().optional(),
	/** The sheet shows the jam as closed (no buttons). */
	sheetFinal: z.boolean().optional(),
	/** The thread is archived (and locked where the bot may). */
	archived: z.boolean().optional(),
	/** Attempts that did not finish, and when the last one started (the next waits longer each time). */
	attempts: z.number().int().min(0),
	lastAttemptAt: z.number().optional(),
	/** Set when the close ended without its steps: the thread is gone or out of the bot's reach. */
	givenUp: z.string().optional(),
});
export type JamClosing = z.infer<typeof closingSchema>;

export const jamSchema = z.object({
	v: z.literal(1),
	guildId: z.string(),
	/** The channel the thread was started in. */
	channelId: z.string(),
	threadId: z.string(),
	/** The sheet message inside the thread, edited in place. */
	sheetMessageId: z.string().optional(),
	title: z.string(),
	theme: z.string(),
	style: z.string(),
	startedBy: z.string(),
	sections: z.array(sectionSchema),
	nextSectionId: z.number().int().min(1),
	history: z.array(changeSchema),
	/** Styles people suggested in the thread, for the poll. */
	suggestions: z.array(z.object({ userId: z.string(), style: z.string() })),
	stylePoll: z.object({ messageId: z.string(), styles: z.array(z.string()) }).optional(),
	parts: z.array(partSchema),
	fullSongTaskId: z.string().optional(),
	/** How many parts that full song joined: a later part makes Full song worth pressing again. */
	fullSongParts: z.number().int().min(0).optional(),
	createdAt: z.number(),
	lastActivityAt: z.number(),
	closedAt: z.number().optional(),
	/** Steps of the close done so far; absent on jams closed before steps were recorded (nothing left to do). */
	closing: closingSchema.optional(),
	/**
	 * When the store drops the jam (and its songs' `jam:task:` entries): set once its close is over, RETENTION_DAYS
	 * after, so the jam goes with its songs; absent while open, with retention off, and on jams an older version closed.
	 */
	expiresAt: z.number().optional(),
});
export type Jam = z.infer<typeof jamSchema>;

/** Reads a stored jam; undefined when missing or not in the expected shape. */
export function parseJam(value: unknown): Jam | undefined {
	const parsed = jamSchema.safeParse(value);
	return parsed.success ? parsed.data : undefined;
}
