'use strict';
// The seed's Express 5 app, mirroring ClusterTemplate.Worker: GET / says hello, GET /work?n= sums 0..n-1.
// Runs alone (`node app.js`), under cluster.js, or under PM2 in cluster mode.
const cluster = require('node:cluster');
const express = require('express');

const port = Number(process.env.PORT || 3000);
const workerId = process.env.NODE_APP_INSTANCE !== undefined
  ? Number(process.env.NODE_APP_INSTANCE) + 1
  : (cluster.worker ? cluster.worker.id : 0);

const app = express();

app.use((req, res, next) => {
  res.set('X-Cluster-Worker-Id', String(workerId));
  res.set('X-Cluster-Worker-Pid', String(process.pid));
  next();
});

app.get('/', (req, res) => {
  res.send(`Hello from worker ${workerId} (pid ${process.pid})`);
});

app.get('/work', (req, res) => {
  const n = req.query.n === undefined ? 1e8 : Number(req.query.n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += i;
  }
  res.send(String(sum));
});

const server = app.listen(port, () => {
  if (process.send) {
    process.send('ready'); // PM2's wait_ready; harmless under cluster.js
  }
});

// PM2 reload and cluster.js stop send SIGINT: stop accepting, finish in-flight requests, exit.
process.on('SIGINT', () => server.close(() => process.exit(0)));
