// A small evaluator of parsed CEL expressions with CEL's semantics, for the constructs Gatehouse
// emits in RBAC policy conditions (compiler/src/emit/rbac/session-condition.ts): string constants,
// identifiers, field selection and has(), map indexing, ==, &&, ||, !, `in` and ?:. A missing key is
// an error, as in CEL; && and || absorb an error when the other side decides the result; a condition
// that ends in an error does not match (Envoy's RBAC). Anything else throws, so a test cannot pass on
// an expression it does not model.

type Json = Record<string, unknown>;
const ERROR: unique symbol = Symbol('cel error');
type Value = unknown;

/** Whether `expr` is true for the given variables (`metadata`, `request`, …). */
export function celHolds(expr: Json, variables: Readonly<Record<string, Value>>): boolean {
  return evaluate(expr, variables) === true;
}

function evaluate(expr: Json, vars: Readonly<Record<string, Value>>): Value {
  if (expr.const_expr) {
    const value = (expr.const_expr as Json).string_value;
    if (typeof value !== 'string') throw new Error(`unmodelled constant ${JSON.stringify(expr)}`);
    return value;
  }
  if (expr.ident_expr) {
    const name = String((expr.ident_expr as Json).name);
    return name in vars ? vars[name] : ERROR;
  }
  if (expr.select_expr) {
    const { operand, field, test_only: testOnly } = expr.select_expr as { operand: Json; field: string; test_only?: boolean };
    const target = evaluate(operand, vars);
    if (!isMap(target)) return ERROR;
    return testOnly ? field in target : field in target ? target[field] : ERROR;
  }
  if (expr.call_expr) {
    const { function: fn, args } = expr.call_expr as { function: string; args: Json[] };
    return callFunction(fn, args, vars);
  }
  throw new Error(`unmodelled CEL expression ${JSON.stringify(expr)}`);
}

function callFunction(fn: string, args: Json[], vars: Readonly<Record<string, Value>>): Value {
  const arg = (i: number) => evaluate(args[i]!, vars);
  switch (fn) {
    case '_&&_': {
      const [a, b] = [arg(0), arg(1)];
      if (a === false || b === false) return false;
      return a === true && b === true ? true : ERROR;
    }
    case '_||_': {
      const [a, b] = [arg(0), arg(1)];
      if (a === true || b === true) return true;
      return a === false && b === false ? false : ERROR;
    }
    case '!_': {
      const a = arg(0);
      return typeof a === 'boolean' ? !a : ERROR;
    }
    case '_==_': {
      const [a, b] = [arg(0), arg(1)];
      if (a === ERROR || b === ERROR) return ERROR;
      return typeof a === typeof b && JSON.stringify(a) === JSON.stringify(b);
    }
    case '_[_]': {
      const [target, key] = [arg(0), arg(1)];
      return isMap(target) && typeof key === 'string' && key in target ? target[key] : ERROR;
    }
    case '@in': {
      const [key, target] = [arg(0), arg(1)];
      return isMap(target) && typeof key === 'string' ? key in target : ERROR;
    }
    case '_?_:_': {
      const test = arg(0);
      return test === true ? arg(1) : test === false ? arg(2) : ERROR;
    }
    default:
      throw new Error(`unmodelled CEL function ${fn}`);
  }
}

function isMap(value: Value): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
