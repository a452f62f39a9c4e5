/** The streams of the sample source and their schemas. */
import { field, t, type Catalog, type CatalogStream, type Field } from '@ferry/core';

const required = (name: string, type: Field['type'], description: string): Field =>
  field(name, type, { nullable: false, description });
const optional = (name: string, type: Field['type'], description: string): Field =>
  field(name, type, { nullable: true, description });

const WORKSPACE = required('workspace_id', t.string, 'Workspace (publisher), ws_1 to ws_N.');

const CLIENT = t.struct([
  required('url', t.string, 'Page URL, with campaign parameters on landing pages.'),
  optional('referrer', t.string, 'Referring URL; null for direct, e-mail and app traffic.'),
  required('user_agent', t.string, 'User agent of the browser or app.'),
  required('domain', t.string, 'Host name of the site, as in the domains stream.'),
  optional('title', t.string, 'Page title; null on native app screens.'),
  required('type', t.string, 'Client type: web, amp, ios or android.'),
]);

const GEO_INFO = t.struct([
  optional('country', t.string, 'ISO 3166-1 alpha-2 country code.'),
  optional('city', t.string, 'City name.'),
  optional('continent', t.string, 'Continent name.'),
  optional('province', t.string, 'Region, state or nation.'),
  optional('postal_code', t.string, 'Postal code or its outward part.'),
]);

const ISP_INFO = t.struct([
  optional('isp', t.string, 'Internet service provider.'),
  optional('organization', t.string, 'Organisation owning the network.'),
  optional('autonomous_system_number', t.int64, 'Autonomous system number of the network.'),
]);

const VIDEO = t.struct([
  required('video_id', t.string, 'Video id in the video platform.'),
  optional('title', t.string, 'Video title; null when the player reports none.'),
  optional('duration_s', t.int32, 'Length in seconds; null for live streams.'),
  required('position_s', t.int32, 'Seconds watched when the event was recorded.'),
  required('autoplay', t.boolean, 'Whether the video started by itself.'),
]);

function eventFields(name: string, properties: readonly Field[]): Field[] {
  return [
    required('event_id', t.string, 'Unique id of the event (UUID).'),
    WORKSPACE,
    required('user_id', t.string, 'Id of the user (UUID), stable across days and streams.'),
    required('session_id', t.string, 'Id of the session (UUID).'),
    required(
      'view_id',
      t.string,
      `Id of the page view${name === 'Videoview' ? ' the video played on' : ''}.`,
    ),
    required('time', t.timestamp, 'When the event happened (UTC, microseconds).'),
    required('name', t.string, `Event name, always ${name}.`),
    required('properties', t.struct(properties), 'Event properties.'),
    required(
      'segments',
      t.list(t.int64),
      'Ids of the segments the user was in (segment_metadata).',
    ),
  ];
}

const CLIENT_FIELDS: readonly Field[] = [
  required('client', CLIENT, 'The page and the browser or app.'),
  required('geo_info', GEO_INFO, 'Location from the IP address; parts may be unknown.'),
  required('isp_info', ISP_INFO, 'Network from the IP address; unknown for 2% of users.'),
];

const INCREMENTAL = {
  cursorField: 'time',
  syncModes: ['incremental', 'full_refresh'],
  defaultSyncMode: 'incremental',
  defaultWriteMode: 'append',
} as const;

const SNAPSHOT = {
  syncModes: ['full_refresh'],
  defaultSyncMode: 'full_refresh',
  defaultWriteMode: 'replace',
} as const;

/** The streams, in the order `discover` lists them. */
export const STREAMS: readonly CatalogStream[] = [
  {
    name: 'pageview_events',
    description: 'Page views (Pageview events) of every workspace, in time order.',
    fields: eventFields('Pageview', CLIENT_FIELDS),
    primaryKey: ['event_id'],
    ...INCREMENTAL,
  },
  {
    name: 'videoview_events',
    description: 'Video views (Videoview events), each on a page view; about 20% as many.',
    fields: eventFields('Videoview', [
      ...CLIENT_FIELDS,
      required('video', VIDEO, 'The video played.'),
    ]),
    primaryKey: ['event_id'],
    ...INCREMENTAL,
  },
  {
    name: 'aliases',
    description: 'Other ids users are known by, as they appear and log in.',
    fields: [
      WORKSPACE,
      required('user_id', t.string, 'Id of the user (UUID), as in the events.'),
      required('tag', t.string, 'Kind of id: email_sha256, default, amp, appnexus or ttd.'),
      required('id', t.string, 'The id; email_sha256 is the hex SHA-256 of salt and address.'),
      required('priority', t.int32, 'Priority of the tag when ids conflict; lower wins.'),
      required('time', t.timestamp, 'When the alias was created (UTC, microseconds).'),
    ],
    primaryKey: ['workspace_id', 'user_id', 'tag'],
    ...INCREMENTAL,
  },
  {
    name: 'domains',
    description: 'Sites of each workspace (snapshot).',
    fields: [
      WORKSPACE,
      required('domain', t.string, 'Host name, as in the events’ properties.client.domain.'),
      required('name', t.string, 'Site name.'),
      required('created_at', t.timestamp, 'When the site was added to the workspace.'),
    ],
    primaryKey: ['workspace_id', 'domain'],
    ...SNAPSHOT,
  },
  {
    name: 'segment_metadata',
    description: 'Segments of each workspace (snapshot); the ids in the events’ segments.',
    fields: [
      WORKSPACE,
      required('segment_id', t.int64, 'Segment id, unique within the workspace.'),
      required('name', t.string, 'Segment name.'),
      required('tags', t.list(t.string), 'Labels of the segment; may be empty.'),
      required('created_at', t.timestamp, 'When the segment was created.'),
      required('updated_at', t.timestamp, 'When the segment was last changed.'),
    ],
    primaryKey: ['workspace_id', 'segment_id'],
    ...SNAPSHOT,
  },
];

/** The catalog `discover` returns (as a copy, so that callers cannot change this one). */
export const CATALOG: Catalog = { streams: STREAMS };

/** The catalog stream called `name`, if any. */
export function findStream(name: string): CatalogStream | undefined {
  return STREAMS.find((stream) => stream.name === name);
}
