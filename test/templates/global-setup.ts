import { STACKS, packageService } from './templates';

/** Packages the platform and the four services (two at a time: the machines have two cores) before the template tests. */
export default async function packageAllServices(): Promise<void> {
  const queue = [...STACKS];
  const worker = async () => {
    for (let service = queue.shift(); service; service = queue.shift()) await packageService(service);
  };
  await Promise.all([worker(), worker()]);
}
