// `gatehouse access`: the effective access matrix, from the compiled bundle (one evaluation per subject).
import { resolve } from 'node:path';
import { matrixSubjects } from '../../review/src/access/subjects.ts';
import { computeAccessMatrix } from '../../review/src/access/matrix.ts';
import { renderAccessText, renderPersonText } from '../../review/src/access/render.ts';
import { personAccess } from '../../review/src/access/person.ts';
import { decisionLayers, renderDecisionLayersText } from '../../review/src/access/decision-layers.ts';
import { hasErrors } from '../../compiler/src/diagnostics/diagnostic.ts';
import { formatDiagnostics } from '../../compiler/src/diagnostics/format.ts';
import { compile } from '../../compiler/src/pipeline/compile.ts';
import { progressPrinter } from '../../compiler/src/pipeline/progress.ts';
import { PolicyEngine } from '../../artifacts/src/policy/engine.ts';
import { oneOf, parseFlags } from './args.ts';
import { UsageError } from './usage-error.ts';

export const ACCESS_USAGE =
  'Usage: gatehouse access [--root DIR] [--subject team:NAME|authenticated]… [--format text|json]\n' +
  '       gatehouse access [--root DIR] --subject email:ADDRESS|user:IDP/SUB [--team NAME]… [--format text|json]\n' +
  '         (one person: direct grants, and the teams given)';

export async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    root: { type: 'string' },
    subject: { type: 'string', multiple: true },
    team: { type: 'string', multiple: true },
    format: { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(`${ACCESS_USAGE}\n`);
    return 0;
  }
  const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
  const person = values.subject?.find((s) => s.startsWith('user:') || s.startsWith('email:'));
  if (person !== undefined && values.subject?.length !== 1) throw new UsageError('--subject user:…/email:… answers for one person: give it alone');
  if (values.team && person === undefined) throw new UsageError('--team goes with --subject email:ADDRESS or user:IDP/SUB (the teams that person is in)');
  const root = resolve(values.root ?? '.');
  const progress = progressPrinter((line) => process.stderr.write(line), 'gatehouse access:');
  const result = await compile({ root, revision: 'access-matrix', skipEnvoyValidate: true, placeToolCalls: person === undefined }, progress);
  if (hasErrors(result.diagnostics) || !result.bundle || !result.ir) {
    process.stdout.write(formatDiagnostics(result.diagnostics, 'text'));
    return 1;
  }
  const ir = result.ir;
  const engine = await PolicyEngine.load(result.bundle);
  if (person !== undefined) {
    const access = personAccess(engine, ir, person, values.team ?? []);
    if ('error' in access) throw new UsageError(access.error);
    const risks = new Map(ir.servers.flatMap((s) => s.tools.map((t) => [`${s.name}/${t.name}`, t.risk] as const)));
    process.stdout.write(format === 'json' ? `${JSON.stringify(access, null, 2)}\n` : renderPersonText(access, risks));
    return 0;
  }
  let subjects = matrixSubjects(ir);
  if (values.subject) {
    const wanted = values.subject;
    for (const id of wanted) {
      if (!subjects.some((s) => s.id === id)) {
        throw new UsageError(`unknown subject "${id}"; known: ${subjects.map((s) => s.id).join(', ')}`);
      }
    }
    subjects = subjects.filter((s) => wanted.includes(s.id));
  }
  const matrix = progress.stage('evaluate', () => computeAccessMatrix(engine, ir, subjects), (m) => `${m.subjects.length} subjects`);
  const layers = result.staticDecisions ? decisionLayers(ir, result.staticDecisions.decisions) : [];
  if (format === 'json') process.stdout.write(`${JSON.stringify({ ...matrix, decidedBy: layers }, null, 2)}\n`);
  else process.stdout.write(`${renderAccessText(matrix)}\nWhere tool calls are decided:\n${renderDecisionLayersText(layers)}`);
  return 0;
}
