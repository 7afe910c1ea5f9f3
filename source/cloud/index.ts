/**
 * The Defender for Cloud Apps source: an HTTP client that turns one query into one
 * validated page, with keep-alive, proxy, rate limiting, throttling and retries.
 * It never pages by itself and never logs: the engine pages and observes via `onEvent`.
 */

export {checkToken, createCloudClient, type CloudClientOptions, type TokenCheck} from './client.ts';
export {isInsecureUrl, normalizeToken, parseEndpoint, type Endpoint} from './endpoint.ts';
export {maskProxy, parseProxy, defaultProxyPort, type ProxySettings} from './proxy.ts';
export {createRateLimiter, sharedRateLimiter, defaultRequestsPerMinute, type RateLimiter, type RateLimiterOptions} from './rate-limiter.ts';
export type {ApiFilters, ApiPage, ApiRecord, ClientEvent, CloudClient, DataType, QueryBody} from './types.ts';
export {dataTypes} from './types.ts';
