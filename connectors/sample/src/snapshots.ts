/**
 * The snapshot streams: every workspace's sites (`domains`) and segment definitions
 * (`segment_metadata`), as they stand on `start_date`.
 */
import type { Row } from '@ferry/core';
import type { World } from './world.js';

/** The rows of `domains`: one per site of each workspace, by workspace. */
export function domainRows(world: World): Row[] {
  return world.workspaces.flatMap((workspace) =>
    workspace.publisher.sites.map((site) => ({
      workspace_id: workspace.id,
      domain: site.domain,
      name: site.name,
      created_at: site.createdAt,
    })),
  );
}

/** The rows of `segment_metadata`: every segment of each workspace, by workspace and id. */
export function segmentRows(world: World): Row[] {
  return world.workspaces.flatMap((workspace) =>
    workspace.segments.map((segment) => ({
      workspace_id: workspace.id,
      segment_id: segment.id,
      name: segment.name,
      tags: [...segment.tags],
      created_at: segment.createdAt,
      updated_at: segment.updatedAt,
    })),
  );
}
