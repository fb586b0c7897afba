// Vite's client types: the stylesheet import in main.tsx and `import.meta.env`.
/// <reference types="vite/client" />
