import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { repositoryRoot } from './support';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}

/** The hosted CI workflow cannot run here; its shape is the contract. */
describe('the hosted CI workflow (.github/workflows/ci.yml)', () => {
  const workflow = YAML.parse(
    fs.readFileSync(path.join(repositoryRoot, '.github/workflows/ci.yml'), 'utf8'),
  ) as {
    on: Record<string, unknown>;
    jobs: Record<
      string,
      { services: Record<string, { image: string; ports: string[] }>; steps: Step[] }
    >;
  };
  const [job] = Object.values(workflow.jobs);
  const steps = job.steps;
  const indexOf = (predicate: (step: Step) => boolean) => steps.findIndex(predicate);

  it('runs on pushes to main and on pull requests', () => {
    expect(workflow.on).toHaveProperty('pull_request');
    expect(workflow.on['push']).toEqual({ branches: ['main'] });
  });

  it('checks out the whole history, sets up Node 20 and installs with npm ci', () => {
    expect(
      steps[indexOf((step) => step.uses?.startsWith('actions/checkout@') ?? false)].with,
    ).toMatchObject({ 'fetch-depth': 0 });
    expect(
      steps[indexOf((step) => step.uses?.startsWith('actions/setup-node@') ?? false)].with,
    ).toMatchObject({ 'node-version': 20 });
    expect(indexOf((step) => /^npm ci\b/.test(step.run ?? ''))).toBeGreaterThan(-1);
  });

  it('runs PostgreSQL and RabbitMQ as services', () => {
    expect(job.services['postgres'].image).toMatch(/^postgres:/);
    expect(job.services['postgres'].ports).toContain('5432:5432');
    expect(job.services['rabbitmq'].image).toMatch(/^rabbitmq:.*management/);
    expect(job.services['rabbitmq'].ports).toContain('5672:5672');
  });

  it('prepares the machine, then lints, type-checks, tests and builds what the change affects', () => {
    const install = indexOf((step) => /^npm ci\b/.test(step.run ?? ''));
    const shas = indexOf((step) => step.uses?.startsWith('nrwl/nx-set-shas@') ?? false);
    const prepare = indexOf((step) => step.run === 'node tools/platform/prepare.js');
    const affected = indexOf((step) =>
      /^npx nx affected -t lint typecheck test build\b/.test(step.run ?? ''),
    );

    expect([install, shas, prepare, affected].every((index) => index > -1)).toBe(true);
    expect(install).toBeLessThan(shas);
    expect(shas).toBeLessThan(affected);
    expect(prepare).toBeLessThan(affected);
    expect(fs.existsSync(path.join(repositoryRoot, 'tools/platform/prepare.js'))).toBe(true);
  });
});
