#!/usr/bin/env node
// Select React's production build before anything imports React: the
// development build roughly doubles the CPU spent per frame.
if (!process.env.NODE_ENV) process.env.NODE_ENV = 'production';
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
