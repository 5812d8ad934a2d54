import { defineConfig } from "vite";

// Preact's JSX through Vite's own transform (tsconfig.json: jsx react-jsx, jsxImportSource preact); no plugin.
// The manager serves the output at / (Vcm.Manager.csproj runs `npm run build -- --outDir …`).
export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: { "/api": { target: "http://127.0.0.1:8710", ws: true } },
  },
});
