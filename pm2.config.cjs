// PM2 process layout. `npm run build` first, then `pm2 start pm2.config.cjs` (`pm2 reload care-gateway`
// for a rolling restart). Without REDIS_URL the gateway keeps presence and outboxes in memory, so it
// runs as ONE instance; with REDIS_URL it runs GATEWAY_INSTANCES instances (default: one per core)
// in cluster mode sharing the port. PM2's cluster mode has no sticky sessions, so only the WebSocket
// transport works across instances: the gateway accepts WebSocket only when REDIS_URL is set.
const clustered = Boolean(process.env.REDIS_URL);

module.exports = {
  apps: [
    {
      name: "care-gateway",
      script: "server/dist/main.js",
      exec_mode: "cluster",
      instances: clustered ? process.env.GATEWAY_INSTANCES || "max" : 1,
      env: { NODE_ENV: "production" },
      // Graceful reload: a new instance gets traffic once it has said "ready" (after Redis is
      // connected and the port is listening); the old one gets SIGINT and up to kill_timeout to
      // end its requests and close its sockets.
      wait_ready: true,
      listen_timeout: 15000,
      kill_timeout: 15000,
      max_memory_restart: "1G",
      merge_logs: true,
    },
  ],
};
