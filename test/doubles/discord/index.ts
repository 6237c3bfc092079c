/**
 * The local Discord double for end-to-end tests: `startDiscordDouble()` and the driver types.
 * See harness.ts for the entry point and driver.ts / views.ts / modal.ts for what tests can do and see.
 */

export type { FileInput, OptionInput } from './commands.ts';
export type { CrowdSpec } from './crowd.ts';
export type { ChannelRef, Choice, WaitOptions } from './driver.ts';
export { InteractionHandle, UserHandle } from './driver.ts';
export type { Gateway, GatewaySession } from './gateway.ts';
export type { DiscordDouble, DiscordDoubleOptions } from './harness.ts';
export { GuildHandle, startDiscordDouble } from './harness.ts';
export type { CallbackRecord, InteractionRecord } from './interactions.ts';
export type { Pings } from './mentions.ts';
export type { ModalField, ModalValue } from './modal.ts';
export { ModalHandle } from './modal.ts';
export type { PermissionName } from './permissions.ts';
export type { BucketConfig, RateLimits } from './ratelimit.ts';
export type { LoggedRequest } from './rest.ts';
export type { Limits } from './rules.ts';
export { DEFAULT_LIMITS } from './rules.ts';
export type { GuildSpec } from './seed.ts';
export type { CommandRecord } from './state.ts';
export { shardOf } from './state.ts';
export type { AttachmentView, ComponentView, MessageView, OverwriteTarget } from './views.ts';
export { ChannelHandle } from './views.ts';
export type { VoiceBackend, VoiceGrant } from './voice-backend.ts';
