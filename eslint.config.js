// Lint: typescript-eslint for everything; the simulation core (src/sim) is kept pure by
// banning ambient effects (wall clock, randomness, timers, the DOM, React, zustand).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const impure = 'The simulation core is pure: pass time and randomness in (see docs/ARCHITECTURE.md).';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'bench-results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    files: ['src/sim/**/*.ts'],
    ignores: ['src/sim/**/*.test.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'Date', message: impure },
        { name: 'setTimeout', message: impure },
        { name: 'setInterval', message: impure },
        { name: 'performance', message: impure },
        { name: 'window', message: impure },
        { name: 'document', message: impure },
        { name: 'localStorage', message: impure },
        { name: 'fetch', message: impure },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: impure },
        { object: 'Date', property: 'now', message: impure },
        { object: 'globalThis', property: 'Date', message: impure },
        { object: 'crypto', property: 'getRandomValues', message: impure },
        { object: 'crypto', property: 'randomUUID', message: impure },
      ],
      'no-restricted-imports': [
        'error',
        { paths: ['react', 'react-dom', 'zustand'], patterns: ['react/*', 'react-dom/*', 'zustand/*', '../ui/*', '**/ui/**'] },
      ],
    },
  },
);
