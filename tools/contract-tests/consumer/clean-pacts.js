// Jest globalSetup of the consumer project: every run writes the pacts from scratch.
const { rmSync } = require('node:fs');
const { join } = require('node:path');

module.exports = () => rmSync(join(__dirname, '..', 'pacts'), { recursive: true, force: true });
