// The layering of the code (README "Layout"), enforced in `npm test`: an import that runs back up
// a layer, or across between the compiler and the control plane, fails the build.
//
//   cli ─► demo ─► review ─► docgen ─► compiler ─► artifacts ─► toolchain
//                  audit ──────────────────────────┘
//          demo ─► xds-server ─► artifacts
//   test, bench ─► testkit ─► anything but cli
const layer = (name, mayImport) => ({ name, from: `^${name}/`, mayImport });
const LAYERS = [
  layer('toolchain', []),
  layer('artifacts', ['toolchain']),
  layer('compiler', ['artifacts', 'toolchain']),
  layer('xds-server', ['artifacts']),
  layer('docgen', ['compiler', 'artifacts', 'toolchain']),
  layer('review', ['compiler', 'artifacts', 'toolchain']),
  layer('audit', ['artifacts']),
  layer('demo', ['compiler', 'xds-server', 'artifacts', 'toolchain']),
  layer('cli', ['demo', 'review', 'audit', 'docgen', 'compiler', 'xds-server', 'artifacts', 'toolchain']),
];
const ALL = LAYERS.map((l) => l.name);

module.exports = {
  forbidden: [
    ...LAYERS.map(({ name, mayImport }) => ({
      name: `${name}-layer`,
      comment: `${name}/ may import only ${mayImport.length ? mayImport.join(', ') : 'external packages'} (and its own files); its unit tests also testkit/`,
      severity: 'error',
      from: { path: `^${name}/` },
      to: { path: `^(${ALL.filter((other) => other !== name && !mayImport.includes(other)).join('|')}|test|bench|scripts)/` },
    })),
    ...LAYERS.map(({ name }) => ({
      name: `${name}-not-testkit`,
      comment: `only tests may use testkit/, not ${name}/ itself`,
      severity: 'error',
      from: { path: `^${name}/`, pathNot: '\\.test\\.ts$' },
      to: { path: '^testkit/' },
    })),
    {
      name: 'unit-tests-through-testkit',
      comment: 'a unit test beside the code may reach other layers only through testkit/ (never test/ or bench/)',
      severity: 'error',
      from: { path: '\\.test\\.ts$', pathNot: '^test/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'testkit-not-cli',
      comment: 'testkit/ serves tests and benchmarks; it may not import the CLI, test/ or bench/',
      severity: 'error',
      from: { path: '^testkit/' },
      to: { path: '^(cli|test|bench)/' },
    },
    {
      name: 'bench-not-test',
      comment: 'benchmarks share fixtures with tests through testkit/, never through test/',
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.gatehouse)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};
