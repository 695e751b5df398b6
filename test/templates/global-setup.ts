import path from 'node:path';
import { STACKS, devTemplatePath, packageService } from './templates';

/**
 * Packages the platform and the four services (two at a time: the machines have two cores) before
 * the template tests; first the platform and the inventory for `dev` (the identity provider and
 * the authorizer that trusts it), since packaging clears a service's `.serverless`.
 */
export default async function packageAllServices(): Promise<void> {
  await Promise.all((['platform', 'inventory'] as const).map((stack) => packageService(stack, 'dev', path.dirname(devTemplatePath(stack)))));
  const queue = [...STACKS];
  const worker = async () => {
    for (let service = queue.shift(); service; service = queue.shift()) await packageService(service);
  };
  await Promise.all([worker(), worker()]);
}
