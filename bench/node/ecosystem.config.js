'use strict';
// PM2 cluster mode running the same Express app; PORT and WORKERS come from the harness.
const path = require('node:path');

module.exports = {
  apps: [
    {
      name: 'bench',
      script: path.join(__dirname, 'app.js'),
      exec_mode: 'cluster',
      instances: Number(process.env.WORKERS || 2),
      env: { PORT: process.env.PORT || '3000', NODE_ENV: 'production' },
      autorestart: true,
      wait_ready: true,
      listen_timeout: 8000,
      kill_timeout: 1600,
      merge_logs: true,
    },
  ],
};
