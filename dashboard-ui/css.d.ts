// esbuild bundles CSS files as text (loader `.css: text`); main.ts puts it in a <style>.
declare module '*.css' {
  const text: string;
  export default text;
}
