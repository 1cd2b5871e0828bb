// Picks the artifact source for `serve --artifacts`: an http(s) URL or a folder.
import { folderSource, isArtifactUrl, type ArtifactSource } from './artifact-source.ts';
import { httpSource, type HttpSourceOptions } from './http-source.ts';

export type HttpArtifactOptions = Omit<HttpSourceOptions, 'url'>;

export function artifactSource(location: string, http: HttpArtifactOptions = {}): ArtifactSource {
  return isArtifactUrl(location) ? httpSource({ ...http, url: location }) : folderSource(location);
}
