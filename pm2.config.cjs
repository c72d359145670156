// PM2 process layout. `npm run build` first, then `pm2 start pm2.config.cjs`.
// Without REDIS_URL the gateway keeps presence and outboxes in memory, so it runs as ONE instance;
// with REDIS_URL it runs GATEWAY_INSTANCES instances (default: one per core) sharing the port.
const clustered = Boolean(process.env.REDIS_URL);

module.exports = {
  apps: [
    {
      name: "care-gateway",
      script: "server/dist/main.js",
      exec_mode: "cluster",
      instances: clustered ? process.env.GATEWAY_INSTANCES || "max" : 1,
      env: { NODE_ENV: "production" },
      // The gateway ends requests in flight and closes sockets on SIGINT/SIGTERM; give it time.
      kill_timeout: 15000,
      max_memory_restart: "1G",
      merge_logs: true,
      time: false,
    },
  ],
};
