// PM2 process layout. `npm run build` first, then `pm2 start pm2.config.cjs` (`pm2 reload care-gateway`
// for a rolling restart). Without REDIS_URL the gateway keeps presence and outboxes in memory, so it
// runs as ONE instance; with REDIS_URL it runs GATEWAY_INSTANCES instances (default: one per core)
// in cluster mode sharing the port. PM2's cluster mode has no sticky sessions, so only the WebSocket
// transport works across instances: the gateway accepts WebSocket only when REDIS_URL is set.
// The API Bridge runs beside it as one process (see docs/api-bridge.md).
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
    {
      // REST for the platform's API Gateway over one /bridge socket. ONE instance: its Idempotency-Key
      // store lives in the process, so several instances would each keep their own (run more only if
      // the API Gateway sends a key's retries to the instance that had it first). It needs
      // BRIDGE_TOKEN (a /bridge token) and the gateway's key settings (JWT_*) to check its callers.
      name: "care-bridge",
      script: "bridge/dist/main.js",
      exec_mode: "fork",
      instances: 1,
      env: {
        NODE_ENV: "production",
        GATEWAY_URL: process.env.GATEWAY_URL || `http://127.0.0.1:${process.env.PORT || 3000}`,
      },
      // Ready once listening (readiness then follows its /bridge socket at /readyz); on stop it lets
      // requests in flight finish for BRIDGE_SHUTDOWN_GRACE_MS (10 s), within kill_timeout.
      wait_ready: true,
      listen_timeout: 15000,
      kill_timeout: 15000,
      max_memory_restart: "512M",
      merge_logs: true,
    },
  ],
};
