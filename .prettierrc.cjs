// Prettier for the XML (with @prettier/plugin-xml), JavaScript, SCSS, YAML and HTML files,
// as OCA configures it for Odoo 18.0. The plugin is installed by pre-commit, beside
// prettier, outside the repository: require.resolve finds it through the NODE_PATH that
// pre-commit sets, where a plugin name in a .prettierrc.yml would be looked up from here.
/** @type {import('prettier').Config} */
const config = {
    plugins: [require.resolve("@prettier/plugin-xml")],
    bracketSpacing: false,
    printWidth: 88,
    proseWrap: "always",
    semi: true,
    trailingComma: "es5",
    xmlWhitespaceSensitivity: "preserve",
};

module.exports = config;
