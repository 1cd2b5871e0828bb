// Points 10 to 12: tool definitions pinned, Rego coverage, break-glass procedure declared.
import { failed, judged, notApplicable, passed, type PreflightPoint } from '../point.ts';

export const toolsPinned: PreflightPoint = {
  id: 'tools-pinned',
  title: 'Tool definitions pinned',
  check({ ir, toolsLock }) {
    const tools = ir.servers.flatMap((s) => s.tools.map((t) => `${s.name}/${t.name}`));
    if (!tools.length) return notApplicable(['no server declares tools']);
    if ('problem' in toolsLock) {
      const fix = 'Record the reviewed tool definitions: `gatehouse discover` writes tools.lock.yaml; commit it through review.';
      return failed([toolsLock.problem], fix);
    }
    const unpinned = tools.filter((t) => !toolsLock.pinned.has(t));
    return judged(
      unpinned.map((t) => `tool ${t} has no reviewed definition in ${toolsLock.file}`),
      [`${tools.length - unpinned.length} of ${tools.length} tools pinned in ${toolsLock.file}`],
      'Run `gatehouse discover` for the servers of the unpinned tools and commit the lock through review.',
    );
  },
};

export const regoCoverage: PreflightPoint = {
  id: 'rego-coverage',
  title: 'Rego test coverage',
  check({ ir, coverage }) {
    const threshold = ir.checkSettings.regoCoverageThreshold;
    if ('problem' in coverage) return failed([`no coverage: ${coverage.problem}`], 'Make the Rego tests pass: `npx gatehouse test --coverage`.');
    const percent = Math.floor(coverage.value.percent * 10) / 10;
    const least = [...coverage.value.files].sort((a, b) => a.percent - b.percent)[0];
    const leastLine = least ? [`least covered: ${least.file} ${Math.floor(least.percent * 10) / 10}%`] : [];
    const evidence = [`opa test --coverage: ${percent}% (threshold ${threshold}%)`, ...leastLine];
    return percent >= threshold
      ? passed(evidence)
      : failed(evidence, 'Add tests that reach the uncovered lines (`npx gatehouse test --coverage` lists them).');
  },
};

export const breakGlass: PreflightPoint = {
  id: 'break-glass',
  title: 'Break-glass procedure declared',
  check({ ir, readFile }) {
    const declared = ir.checkSettings.governance?.breakGlass;
    if (!declared) {
      return failed(
        ['CheckSettings declares no governance.breakGlass'],
        'Write the emergency-access procedure down and declare it: CheckSettings spec.governance.breakGlass (procedure, contacts).',
      );
    }
    const isUrl = /^https:\/\//.test(declared.procedure);
    const problems = !isUrl && readFile(declared.procedure) === undefined ? [`the procedure ${declared.procedure} does not exist`] : [];
    const fine = [
      `procedure: ${declared.procedure}`,
      `contacts: ${declared.contacts.join(', ')}`,
      ...(declared.maxDuration ? [`access lasts at most ${declared.maxDuration}`] : []),
    ];
    return judged(problems, fine, 'Commit the procedure at the declared path, or point governance.breakGlass.procedure at its https URL.');
  },
};
