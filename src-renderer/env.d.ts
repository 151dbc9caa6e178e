// Vite bundles imported stylesheets into one CSS file; TypeScript only needs to know they exist.
declare module '*.css' {}
