/**
 * Gateway discovery, application and command routes, interaction callbacks and the interaction webhook routes
 * (`editReply`, `followUp`, `fetchReply`, `deleteReply`). Callbacks and webhooks carry no Authorization header.
 */
import { overwriteCommands, upsertCommand, validateCommands } from './commands.ts';
import type { Interactions } from './interactions.ts';
import { apiCommand, apiMessage, apiUser } from './payloads.ts';
import { type Route, route } from './rest.ts';
import { throwIfInvalid } from './rules.ts';
import type { DiscordState } from './state.ts';
import { asArray, asObject, fail, isObject } from './wire.ts';

export interface AppRouteDeps {
	state: DiscordState;
	interactions: Interactions;
	applicationId: string;
	/** `ws://127.0.0.1:PORT`, known once the server listens. */
	gatewayUrl: () => string;
	shardCount: number;
}

export function appRoutes({ state, interactions, applicationId, gatewayUrl, shardCount }: AppRouteDeps): Route[] {
	const bot = state.users.get(state.botId);
	const ownApp = (id: string | undefined): void => {
		if (id !== applicationId) throw fail.unknownWebhook();
	};
	/** The command scope of a route: null for global commands, else the guild id. */
	const scope = ({ app, guild }: Record<string, string>): string | null => {
		if (app !== applicationId) throw fail.missingAccess();
		if (guild === undefined) return null;
		if (!state.guild(guild)) throw fail.missingAccess();
		return guild;
	};
	const commandRoutes = (base: string): Route[] => [
		route(`GET ${base}`, ({ params }) => {
			const guildId = scope(params);
			const list = [...state.commands.values()].filter((c) => c.guildId === guildId);
			return { body: list.map((c) => apiCommand(applicationId, c)) };
		}),
		route(`PUT ${base}`, ({ params, body }) => {
			const guildId = scope(params);
			const list = asArray(body.json);
			throwIfInvalid(validateCommands(list));
			return {
				body: overwriteCommands(state, guildId, list.filter(isObject)).map((c) => apiCommand(applicationId, c)),
			};
		}),
		route(`POST ${base}`, ({ params, body }) => {
			const guildId = scope(params);
			throwIfInvalid(validateCommands([body.json]));
			return { status: 201, body: apiCommand(applicationId, upsertCommand(state, guildId, asObject(body.json))) };
		}),
		route(`GET ${base}/:command`, ({ params }) => {
			const command = state.commands.get(params.command ?? '');
			if (!command || command.guildId !== scope(params)) throw fail.unknownCommand();
			return { body: apiCommand(applicationId, command) };
		}),
		route(`PATCH ${base}/:command`, ({ params, body }) => {
			const command = state.commands.get(params.command ?? '');
			if (!command || command.guildId !== scope(params)) throw fail.unknownCommand();
			const data = { ...command.data, ...asObject(body.json) };
			throwIfInvalid(validateCommands([data]));
			Object.assign(command, { data, version: state.ids.next() });
			return { body: apiCommand(applicationId, command) };
		}),
		route(`DELETE ${base}/:command`, ({ params }) => {
			const command = state.commands.get(params.command ?? '');
			if (!command || command.guildId !== scope(params)) throw fail.unknownCommand();
			state.commands.delete(command.id);
			return { status: 204 };
		}),
	];

	return [
		route('GET /gateway', () => ({ body: { url: gatewayUrl() } })),
		route('GET /gateway/bot', () => ({
			body: {
				url: gatewayUrl(),
				shards: shardCount,
				session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
			},
		})),
		route('GET /applications/@me', () => ({
			body: {
				id: applicationId,
				name: bot?.username ?? 'songbot',
				icon: null,
				description: '',
				bot_public: true,
				bot_require_code_grant: false,
				flags: 0,
				verify_key: '0'.repeat(64),
				team: null,
				...(bot ? { bot: apiUser(bot), owner: apiUser(bot) } : {}),
			},
		})),
		...commandRoutes('/applications/:app/commands'),
		...commandRoutes('/applications/:app/guilds/:guild/commands'),
		route(
			'POST /interactions/:interaction/:token/callback',
			({ params, query, body }) =>
				interactions.callback(
					params.interaction ?? '',
					params.token ?? '',
					{ body: asObject(body.json), files: body.files },
					query.get('with_response') === 'true',
				),
			{ auth: false },
		),
		route(
			'POST /webhooks/:app/:token',
			({ params, query, body }) => {
				ownApp(params.app);
				const record = interactions.byToken(params.app ?? '', params.token ?? '');
				const message = interactions.followUp(record, { body: asObject(body.json), files: body.files });
				return query.get('wait') === 'false' ? { status: 204 } : { body: apiMessage(state, message) };
			},
			{ auth: false },
		),
		route(
			'GET /webhooks/:app/:token/messages/:message',
			({ params }) => {
				const record = interactions.byToken(params.app ?? '', params.token ?? '');
				return { body: apiMessage(state, interactions.message(record, params.message ?? '')) };
			},
			{ auth: false },
		),
		route(
			'PATCH /webhooks/:app/:token/messages/:message',
			({ params, body }) => {
				const record = interactions.byToken(params.app ?? '', params.token ?? '');
				const input = { body: asObject(body.json), files: body.files };
				return { body: apiMessage(state, interactions.editMessage(record, params.message ?? '', input)) };
			},
			{ auth: false },
		),
		route(
			'DELETE /webhooks/:app/:token/messages/:message',
			({ params }) => {
				interactions.deleteMessage(interactions.byToken(params.app ?? '', params.token ?? ''), params.message ?? '');
				return { status: 204 };
			},
			{ auth: false },
		),
	];
}
