import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderDocument } from '../../tools/openapi/generate';
import { ROUTES } from '../../tools/openapi/routes';
import { ROOT, SERVICES, loadTemplate, resourcesOfType } from './templates';

test('tools/openapi/openapi.json is what the zod schemas generate (run `npm run openapi` after changing a schema)', () => {
  const committed = readFileSync(path.join(ROOT, 'tools', 'openapi', 'openapi.json'), 'utf8');
  expect(committed).toBe(renderDocument());
});

test('the document describes exactly the routes the packaged templates deploy', () => {
  const deployed = SERVICES.flatMap((service) =>
    resourcesOfType(loadTemplate(service), 'AWS::ApiGatewayV2::Route')
      .map(([, route]) => String(route.Properties?.RouteKey))
      .filter((key) => !key.startsWith('ANY '))
      .map((key) => `${service} ${key}`),
  ).sort();
  const documented = ROUTES.map((r) => `${r.service} ${r.method} ${r.path}`).sort();
  expect(documented).toEqual(deployed);
});

test('every documented path answers 405 through an ANY route', () => {
  const anyRoutes = SERVICES.flatMap((service) =>
    resourcesOfType(loadTemplate(service), 'AWS::ApiGatewayV2::Route')
      .map(([, route]) => String(route.Properties?.RouteKey))
      .filter((key) => key.startsWith('ANY ')),
  );
  for (const route of ROUTES) expect(anyRoutes).toContain(`ANY ${route.path}`);
});
