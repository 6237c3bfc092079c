/**
 * How long state saved for a button or a form lives in the store: long enough for anyone who still has the
 * message in front of them, short enough that it never piles up. After that the button says the state is gone
 * ("run /songs again", "run /extend with the file again", "these lyrics are no longer available").
 */
export const SAVED_STATE_TTL_MS = {
	/** An uploaded file waiting for its Extend form (the Continue button). */
	upload: 24 * 3_600_000,
	/** A long /songs search behind the paging buttons. */
	search: 7 * 24 * 3_600_000,
	/** A lyrics revision people posted with Edit (its buttons: Make a song, Edit, Regenerate). */
	lyricsSheet: 90 * 24 * 3_600_000,
} as const;
