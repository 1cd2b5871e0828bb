// The catalog page from what the control plane holds: the artifact set in force, when it loaded,
// the recent activity. The access rows are evaluated first (asynchronously, cached), then the
// model and the HTML are pure.
import { personSubjects, teamSubjects } from './access-matrix.ts';
import type { AccessEvaluator } from './access-evaluator.ts';
import { catalogModel, type CatalogArtifacts } from './catalog-model.ts';
import type { ActivitySnapshot } from './recent-activity.ts';
import { renderCatalog } from './render-catalog.ts';

export interface CatalogPageInput {
  readonly artifacts?: CatalogArtifacts;
  readonly loadedAt?: string;
  readonly activity: ActivitySnapshot;
  readonly now: Date;
}

export async function catalogPage(input: CatalogPageInput, evaluator: AccessEvaluator): Promise<string> {
  const { artifacts } = input;
  if (!artifacts) return renderCatalog(catalogModel(input));
  const { registry } = artifacts.catalogSource;
  const byTeam = await evaluator.rows(artifacts.engine, teamSubjects(registry));
  const byPerson = await evaluator.rows(artifacts.engine, personSubjects(registry, input.activity.people));
  return renderCatalog(catalogModel({ ...input, access: { byTeam, byPerson } }));
}
