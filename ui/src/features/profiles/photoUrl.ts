// Images come from the app's `photo:` scheme (served from the database bytes). WebView2 on
// Windows reaches custom schemes as http://<scheme>.localhost; the other webviews as <scheme>://localhost.
export function photoBase(userAgent: string = navigator.userAgent): string {
  return /Windows/.test(userAgent) ? "http://photo.localhost" : "photo://localhost";
}

export function photoUrl(id: number, thumbnail: boolean, userAgent: string = navigator.userAgent): string {
  return `${photoBase(userAgent)}/${id}${thumbnail ? "/thumb" : ""}`;
}
