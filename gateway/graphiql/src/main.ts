/**
 * Entry of the self-hosted GraphiQL page served by the gateway at /graphiql.
 * Plain `createElement` keeps the build free of any JSX plugin.
 */
// Tells Monaco where its editor/JSON/GraphQL workers are: Vite bundles them as
// same-origin files under /graphiql/assets/. Without it the editors lose their
// language features (validation, autocompletion).
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';

import { createElement, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';

import { headersEditorText, readPageConfig } from './config.ts';
import { createPageFetcher } from './fetcher.ts';
import { STARTER_DOCUMENT } from './starter-document.ts';

const config = readPageConfig();
const headers = headersEditorText(config.defaultHeaders);
const fetcher = createPageFetcher(config.defaultHeaders);

const container = document.getElementById('graphiql');
if (!container) throw new Error('index.html is missing <div id="graphiql">');

createRoot(container).render(
  createElement(
    StrictMode,
    null,
    createElement(GraphiQL, {
      fetcher,
      // Shown when the browser has no saved tabs; new tabs open on it too.
      defaultQuery: STARTER_DOCUMENT,
      // initialHeaders fills the first tab; defaultHeaders fills tabs opened later.
      ...(headers ? { initialHeaders: headers, defaultHeaders: headers } : {}),
      // Show the headers editor open when a token was injected, so it is visible.
      ...(headers ? { defaultEditorToolsVisibility: 'headers' as const } : {}),
    }),
  ),
);
