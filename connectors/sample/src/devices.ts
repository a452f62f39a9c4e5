/**
 * What users browse with: the client type Permutive's SDKs report (`web`, `amp`, `ios`,
 * `android`) and real user-agent strings for each.
 */
import { Weighted, type Rng } from './random.js';

/** The `properties.client.type` of an event. */
export type ClientType = 'web' | 'amp' | 'ios' | 'android';

/** A user's device: its client type and user agent. */
export interface Device {
  readonly type: ClientType;
  readonly userAgent: string;
}

const CHROME = 'AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0';
const WEBKIT = 'AppleWebKit/605.1.15 (KHTML, like Gecko)';

const IPHONE_SAFARI = `Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) ${WEBKIT} Version/18.1.1 Mobile/15E148 Safari/604.1`;
const IPHONE_SAFARI_17 = `Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) ${WEBKIT} Version/17.6 Mobile/15E148 Safari/604.1`;
const ANDROID_CHROME = `Mozilla/5.0 (Linux; Android 10; K) ${CHROME} Mobile Safari/537.36`;
const SAMSUNG = `Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36`;
const GOOGLE_APP = `Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) ${WEBKIT} GSA/343.0.695551749 Mobile/15E148 Safari/604.1`;

const WEB_AGENTS = new Weighted<string>([
  [`Mozilla/5.0 (Windows NT 10.0; Win64; x64) ${CHROME} Safari/537.36`, 20],
  [`Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) ${CHROME} Safari/537.36`, 8],
  [`Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) ${WEBKIT} Version/18.1 Safari/605.1.15`, 7],
  [`Mozilla/5.0 (Windows NT 10.0; Win64; x64) ${CHROME} Safari/537.36 Edg/131.0.0.0`, 6],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', 3],
  [IPHONE_SAFARI, 18],
  [IPHONE_SAFARI_17, 7],
  [ANDROID_CHROME, 17],
  [SAMSUNG, 5],
  [
    `Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) ${WEBKIT} Version/17.6 Mobile/15E148 Safari/604.1`,
    4,
  ],
  [
    `Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) ${WEBKIT} Mobile/22B83 [FBAN/FBIOS;FBAV/490.0.0.50.99;FBBV/665925483;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/18.1;FBSS/3;FBCR/;FBID/phone;FBLC/en_GB;FBOP/80]`,
    3,
  ],
]);

const AMP_AGENTS = new Weighted<string>([
  [IPHONE_SAFARI, 35],
  [GOOGLE_APP, 20],
  [ANDROID_CHROME, 35],
  [SAMSUNG, 10],
]);

const IOS_DEVICES = new Weighted<string>([
  ['iPhone; iOS 18.1.1; Scale/3.00', 45],
  ['iPhone; iOS 17.6.1; Scale/3.00', 30],
  ['iPhone; iOS 18.2; Scale/2.00', 15],
  ['iPad; iOS 17.6.1; Scale/2.00', 10],
]);

const ANDROID_DEVICES = new Weighted<string>([
  ['Android 14; Pixel 8 Build/AP2A.240805.005', 25],
  ['Android 14; SM-S921B Build/UP1A.231005.007', 30],
  ['Android 13; SM-A536B Build/TP1A.220624.014', 25],
  ['Android 12; moto g(60) Build/S3RGS32.120-42-5', 20],
]);

const APP_VERSIONS = new Weighted<string>([
  ['7.12.0', 50],
  ['7.11.2', 35],
  ['7.10.1', 15],
]);

const TYPE_WEIGHTS: readonly (readonly [ClientType, number])[] = [
  ['web', 74],
  ['amp', 11],
  ['ios', 8],
  ['android', 7],
];

/** The devices of one publisher's users, built once: drawing one allocates nothing. */
export type DeviceTable = Weighted<Weighted<Device>>;

function devices(type: ClientType, agents: Weighted<string>): Weighted<Device> {
  return new Weighted(agents.entries.map(([userAgent, weight]) => [{ type, userAgent }, weight]));
}

/**
 * The devices of a publisher's users. App users (`ios`, `android`) report the publisher's app,
 * named `appName` in the iOS user agent; Android apps report the system's Dalvik agent.
 */
export function deviceTable(appName: string): DeviceTable {
  const ios = new Weighted(
    APP_VERSIONS.entries.flatMap(([version, w1]) =>
      IOS_DEVICES.entries.map(
        ([device, w2]) => [`${appName}/${version} (${device})`, w1 * w2] as const,
      ),
    ),
  );
  const android = new Weighted(
    ANDROID_DEVICES.entries.map(
      ([device, w]) => [`Dalvik/2.1.0 (Linux; U; ${device})`, w] as const,
    ),
  );
  const byType = { web: WEB_AGENTS, amp: AMP_AGENTS, ios, android };
  return new Weighted(TYPE_WEIGHTS.map(([type, w]) => [devices(type, byType[type]), w] as const));
}

/** Draws a user's device from their publisher's table. */
export function drawDevice(rng: Rng, table: DeviceTable): Device {
  return table.pick(rng).pick(rng);
}
