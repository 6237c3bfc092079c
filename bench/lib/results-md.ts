import { markdownTable, type RunRecord, targetSummary } from './report.ts';

/** RESULTS.md: what was run where, the table, how each figure is measured, and what this run noticed. */

const METHOD = `## How it is measured

- **Side by side, one run, one machine.** Each comparison runs ours and the baseline in the same invocation, and
  each side in a Node process of its own (forked with \`--expose-gc\`), so its CPU time, peak RSS and child processes
  are its own. The doubles (fake providers, Discord double, voice server) run in the orchestrator and are charged
  to neither side. Ratios are the figure to read: absolute times drift on a shared machine, ratios much less.
- **CPU seconds** = \`process.cpuUsage()\` of the worker (user + system, all its threads) + the CPU of its child
  processes (ffmpeg), read from \`cutime + cstime\` in \`/proc/self/stat\` (USER_HZ = 100): the kernel adds a child's
  whole CPU time there when its parent reaps it, which libuv does on SIGCHLD, so the worker first waits until none
  of its children is alive. Measured from the first submit (or \`play()\`) to the last delivery (or the end of the
  take); module loading before that is not counted.
- **Peak RSS** = \`process.resourceUsage().maxRSS\` of the worker (ffmpeg children have their own, not added).
- **Event-loop delay p99** = \`perf_hooks.monitorEventLoopDelay\` (10 ms resolution) over the same span.
- **Heap per tracked task**, V8 \`heapUsed\` after two forced GCs (\`--expose-gc\`), two ways: the issue's
  (heap with all N tasks submitted and tracked − heap before the first submit) ÷ N, which also charges to the tasks
  what is paid once (code compiled on first use, connection pools); and the cost of one more task, (heap with all N
  − heap with the first tenth) ÷ (the other nine tenths). The target is judged on the second.
- **Provider traffic.** Ours is the real tracker (\`createTracker\`), the real adapter (\`createProvider\`), the SQLite
  store and the shipped polling defaults (POLL_FAST_MS 5 s stretching to POLL_SLOW_MS 30 s with age; with
  callbacks, SAFETY_POLL_MS 60 s); family B receives callbacks through the real HTTP server. The baseline gives each
  task its own \`setInterval\` of 5 s asking for that task (\`GET /suno/fetch/{id}\`, family B
  \`GET /api/v1/generate/record-info\`). Submits are spread evenly over a window; each task then runs on a wall clock
  of its own (duration = mean ± 40 %, stages at 5/15/30/85/100 % of it), driven through the fake's public
  \`advance()\`; the fake's built-in clock timeline moves all tasks after the same fixed steps, which phase-locks a
  5-s poller to the finish times. Requests are counted by the fake. A take counts as posted when ours hands it to
  the TaskSink port, or when the baseline sees the task finished; audio downloads are skipped on both sides. Delay =
  when the song's last take was posted − the fake's \`finishedAt\`.
- **Voice.** The take is an mp3 made with ffmpeg (a melody with a little noise, 44.1 kHz stereo, 192 kb/s), like a
  provider's. Ours is \`VoiceManager.play\` with the transcode cache (the take is converted to Ogg/Opus once; that
  one-time cost is its own row; replays stream the file's Opus packets). Baseline *default path* is
  \`createAudioResource(mp3Path)\`: @discordjs/voice spawns ffmpeg on every play and, when ffmpeg has libopus (as
  here), lets ffmpeg encode to Ogg/Opus. Baseline *PCM + opusscript path* forces the other pipeline, ffmpeg → PCM and
  Opus encoded in the process (what the default does without libopus, and what the issue describes). Joins go
  through \`createTestVoiceGateway\`; each guild's voice credentials are fetched over IPC before \`play()\`, so the
  join's gateway round trip is in no side's latency. \`play()\` → first RTP packet compares epoch timestamps
  (\`performance.timeOrigin + performance.now()\`) of the worker and the double. Players: 1, 2, 4, … guilds play at once
  in a fresh worker; after all have started and a warm-up, every frame of a window must arrive within 60 ms of its
  slot on the 20-ms grid (anchored at the stream's earliest frame; time the double itself was descheduled is not
  held against the bot) and none may be an underrun (silence sent because no audio was ready). A failed step is
  retried once; the largest passing step is reported.
- **Discord burst.** The whole bot (\`node src/index.ts\`, shipped defaults) against the Discord double with its
  default per-route buckets and real \`X-RateLimit-*\` headers; the songs are started with /song through the double's
  driver, move through their stages together and finish in the same millisecond. Counted at the double. No
  baseline here, nor for start-up: the issue names none, and its targets for both are absolute.
- **Memory per server.** The Discord double serves N servers to one shard: the sandbox guild and N − 1 generated
  ones (test/doubles/discord/crowd.ts: 50 channels of which 10 voice and 5 categories, some private, 30 roles,
  200 members with their users in GUILD_CREATE, 3 in voice), GUILD_CREATEs streamed after READY. Ours is the whole
  bot through \`startApp\` (SQLite, fake provider); the baseline a discord.js client with the same intents and default
  caching. Each side runs in its own worker against a fresh double, alternating which goes first, 3 runs each;
  after ready both idle 5 s, get the bot's compacting collection and two forced GCs, then RSS (\`memoryUsage().rss\`)
  and V8 \`heapUsed\` are read. Times are from the worker's process start (\`performance.timeOrigin\`): to
  \`clientReady\` (every server received) and, for ours, to commands registered.
- **Start-up.** \`node src/index.ts\` is spawned against a fresh double; time until the double receives the command
  registration (\`PUT …/commands\`, sent after the gateway is READY); then VmRSS from \`/proc/<pid>/status\`.
- **Noise.** This machine has 2 cores shared with other engineers who run test suites at the same time; the load
  average at the start and end of the run is given above. Latencies and frame lateness suffer most from it.`;

const READING = `## Reading the results

- **Provider CPU.** Ours saves every change of a task to SQLite before anything else hears of it (the tracker's
  crash-safety rule); the 5-second poller keeps nothing and would lose every song on a restart. A song's saves are
  its intent (saved before the submit, moved, settled), its task record, one per change the provider reports,
  three for two takes (the \`posting\` marker of the next take rides on the write that marks the previous one
  posted) and one when it settles; a save writes the record and only the index entries that change (one
  statement). Its count is in the notes below. Family B also parses and checks the provider's callbacks, which
  the poller ignores. The notes give a diagnostic third side run at the same time, the same tracker with the
  in-memory store (not a shipped option): the difference is what durability costs.
- **Heap per tracked song.** The tracker keeps in memory what polling needs of each task (its state, times and
  the delivery state of its takes) and the full records of the 64 tasks changed last; everything else is read
  from the store when a task changes.
- **Provider delay.** Family A has no callbacks, so a song is seen finished at the next poll: ours polls every 5 s
  at first and less often as a song gets older (a tenth of its age, up to 30 s), the poller every 5 s whatever the
  age. With callbacks (family B) ours posts within milliseconds and polls only as a safety net.
- **Voice CPU.** Every path ends in the same @discordjs/voice transport, which builds an AES-GCM cipher and makes a
  UDP send in JavaScript for each 20-ms packet; a CPU profile of ours while playing shows little else. That cost is
  paid by every side. What ours saves is the per-play transcode (the default path: ffmpeg decoding and encoding
  with libopus on every play) or the decoding plus in-process encoding (the PCM path), which on this machine cost
  about as much again as the transport, not twenty times as much. Ours also stays flat when many guilds play: no
  ffmpeg process per player.
- **Memory.** Idle RSS is mostly code: Node with type stripping (about 17 MB for the type stripper alone),
  discord.js, SQLite and the other dependencies. The voice stack, prom-client and the Redis client are loaded on
  first use, and 1 s after start-up the bot runs one compacting collection (src/memory.ts): the young generation
  start-up grew is most of what it gives back.
- **Memory per server.** The bot caches what it uses (src/discord/client-options.ts): no users or members besides
  bots and people in voice, no messages, emojis or presences. What is left is mostly the channels (with their
  permission overwrites) and roles that permission checks need: about 50 KB per server of realistic size in
  discord.js structures, each channel carrying its managers and a Map per manager. The default client also keeps
  every member and user (about 200 KB per server). Node, type stripping and discord.js's code are a fixed 100 MB
  of RSS on both sides, which bounds the RSS ratio.`;

/**
 * Hand-written sections (partial runs of later issues, with their causes) live between these markers and survive
 * a regenerated RESULTS.md: a `--update` run rewrites the tables, never what people wrote about them.
 */
export const KEPT_START = '<!-- kept: hand-written sections, carried over when RESULTS.md is regenerated -->';
export const KEPT_END = '<!-- end of kept sections -->';

/** The kept sections of an existing RESULTS.md, markers included, or '' when it has none. */
export function keptSections(existing: string): string {
	const start = existing.indexOf(KEPT_START);
	const end = existing.indexOf(KEPT_END, start);
	return start >= 0 && end > start ? existing.slice(start, end + KEPT_END.length) : '';
}

export function resultsMarkdown(record: RunRecord, kept = ''): string {
	const m = record.machine;
	const rows = record.scenarios.flatMap((s) => s.rows);
	const notes = record.scenarios.flatMap((s) => s.notes);
	return [
		'# `npm run bench`: results',
		'',
		`Generated by \`${record.command}\` on ${record.date} in ${Math.round(record.durationSec)} s${record.quick ? ' (**--quick**: scaled down, targets not judged)' : ''}. Raw figures: \`bench/latest.json\` (and \`bench/results/\`).`,
		'',
		`- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB RAM, ${m.os}`,
		`- Node ${m.node}; ${m.ffmpeg}; ${Object.entries(m.packages)
			.map(([n, v]) => `${n} ${v}`)
			.join(', ')}`,
		`- Commit ${m.commit} with ${m.uncommittedFiles} uncommitted files in the shared working tree`,
		`- Load average (1, 5, 15 min): ${m.loadAverageStart.join(', ')} at the start, ${record.loadAverageEnd.join(', ')} at the end — other engineers were running tests on this machine during the run`,
		...record.scenarios.flatMap((s) =>
			s.rerun
				? [
						`- **${s.rows[0]?.scenario.split(',')[0] ?? s.name}** rows measured again on their own by \`${s.rerun.command}\` on ${s.rerun.date} in ${Math.round(s.rerun.durationSec)} s, commit ${s.rerun.commit}; load average ${s.rerun.loadAverageStart.join(', ')} at the start, ${s.rerun.loadAverageEnd.join(', ')} at the end (2 cores shared with the other engineers' test runs)`,
					]
				: [],
		),
		...(kept ? ['', kept] : []),
		'',
		'## Targets of issue 8',
		'',
		...targetSummary(rows).map((t) => `- ${t}`),
		'',
		'## Results',
		'',
		'"ours vs baseline" says how many times better (or worse) ours is, whichever direction is better for the figure.',
		'',
		markdownTable(rows),
		'',
		READING,
		'',
		METHOD,
		'',
		'## Seen in this run',
		'',
		...notes.map((n) => `- ${n}`),
		'',
	].join('\n');
}
