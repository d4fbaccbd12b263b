// n8n's own community-node lint config, with the n8n Cloud rules (no runtime dependencies, no restricted globals).
import { config } from '@n8n/node-cli/eslint';

export default config;
