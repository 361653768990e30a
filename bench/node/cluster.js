'use strict';
// The seed's design: the primary forks one Express worker per core (or WORKERS) and re-forks dead ones.
const cluster = require('node:cluster');
const os = require('node:os');
const path = require('node:path');

const count = Number(process.env.WORKERS || os.cpus().length);

cluster.setupPrimary({ exec: path.join(__dirname, 'app.js') });

for (let i = 0; i < count; i++) {
  cluster.fork();
}

let stopping = false;
cluster.on('exit', (worker, code, signal) => {
  if (!stopping) {
    cluster.fork();
  }
});

function stop() {
  stopping = true;
  for (const worker of Object.values(cluster.workers)) {
    worker.process.kill('SIGTERM');
  }
  process.exit(0);
}

process.on('SIGTERM', stop);
process.on('SIGINT', stop);
