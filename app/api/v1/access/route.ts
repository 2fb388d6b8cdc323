import { apiRoute } from '@/lib/console/api-route';
import { parseAccessQuestion } from '@/lib/console/access-question';
import { getAccess } from '@/lib/console/permission-queries';

export const dynamic = 'force-dynamic';

/**
 * GET /api/v1/access?action=s3:PutObject&resource=arn:aws:s3:::bucket/key[&cluster=&namespace=]: every service
 * account in the caller's scope whose effective identity is allowed (or explicitly denied, or cannot be judged)
 * that request, with the deciding statements. Missing or malformed action/resource is a 400.
 */
export const GET = apiRoute(
  { refresh: true, query: (params) => parseAccessQuestion(params).result, invalidQuery: 'Name an IAM action and a resource ARN.' },
  async ({ query: { action, resource, cluster, namespace }, scope }) => getAccess({ action, resource }, { cluster, namespace }, scope),
);
