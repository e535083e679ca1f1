// ESLint's and typescript-eslint's recommended rules over the lib, its tests, the scripts and the
// notebook tests (npm run lint, 0 warnings). Formatting is Prettier's job (npm run format), not ESLint's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'lib/dist/**',
      'build/**',
      'runs/**',
      'gallery/**',
      'lib/src/kernels/gemm/gemmWasm.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_`-prefixed names are deliberately unused (callback positions, destructuring that drops a field).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Browser code run in headless Chromium (page.evaluate) sits inside these Node files.
    files: ['tests/**/*.mjs', 'scripts/gallery.mjs', 'scripts/figure-pictures.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
