// Each Rego gate fires on its fixture, with its code, level and file:line.
import { describeGateCases } from './gate-fixtures.ts';

describeGateCases('rego');
