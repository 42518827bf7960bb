import type { MetadataRoute } from "next";

// The web app manifest (/manifest.webmanifest): name, colours and icons when the app is
// installed or pinned. Not localised — one manifest serves both locales; start_url lets
// the locale proxy pick the visitor's language.
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "OC Suite",
    short_name: "OC Suite",
    start_url: "/",
    display: "standalone",
    background_color: "#ffffff",
    theme_color: "#3730a3",
    icons: [
      { src: "/icon.svg", sizes: "any", type: "image/svg+xml" },
      { src: "/apple-icon.png", sizes: "180x180", type: "image/png" },
    ],
  };
}
