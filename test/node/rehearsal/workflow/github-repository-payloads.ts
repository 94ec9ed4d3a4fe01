// The GitHub double's response bodies for the repository itself (owner, repository, commits, branches), built whole as
// GitHub sends them: every field GitHub's OpenAPI description requires (test/node/vendor-contracts checks them).

export interface Site {
  /** The double's API root (GITHUB_API_URL). */
  api: string;
  owner: string;
  repo: string;
}

export const STAMP = "2026-01-01T00:00:00Z";
export const web = "https://github.com";
export const nodeId = (kind: string, id: number | string) => Buffer.from(`${kind}:${id}`).toString("base64");

export function user(site: Site, login = "github-actions[bot]") {
  const url = `${site.api}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id: 41898282,
    node_id: nodeId("User", login),
    avatar_url: `https://avatars.githubusercontent.com/u/41898282?v=4`,
    gravatar_id: "",
    url,
    // A bot's page is its app's (a login like "github-actions[bot]" is no URL path).
    html_url: login.endsWith("[bot]") ? `${web}/apps/${login.slice(0, -"[bot]".length)}` : `${web}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: "Bot",
    site_admin: false,
  };
}

/** The `*_url` fields of a repository, as GitHub spells them (URI templates where GitHub has them). */
const REPO_LINKS: Record<string, string> = {
  archive_url: "/{archive_format}{/ref}",
  assignees_url: "/assignees{/user}",
  blobs_url: "/git/blobs{/sha}",
  branches_url: "/branches{/branch}",
  collaborators_url: "/collaborators{/collaborator}",
  comments_url: "/comments{/number}",
  commits_url: "/commits{/sha}",
  compare_url: "/compare/{base}...{head}",
  contents_url: "/contents/{+path}",
  contributors_url: "/contributors",
  deployments_url: "/deployments",
  downloads_url: "/downloads",
  events_url: "/events",
  forks_url: "/forks",
  git_commits_url: "/git/commits{/sha}",
  git_refs_url: "/git/refs{/sha}",
  git_tags_url: "/git/tags{/sha}",
  hooks_url: "/hooks",
  issue_comment_url: "/issues/comments{/number}",
  issue_events_url: "/issues/events{/number}",
  issues_url: "/issues{/number}",
  keys_url: "/keys{/key_id}",
  labels_url: "/labels{/name}",
  languages_url: "/languages",
  merges_url: "/merges",
  milestones_url: "/milestones{/number}",
  notifications_url: "/notifications{?since,all,participating}",
  pulls_url: "/pulls{/number}",
  releases_url: "/releases{/id}",
  stargazers_url: "/stargazers",
  statuses_url: "/statuses/{sha}",
  subscribers_url: "/subscribers",
  subscription_url: "/subscription",
  tags_url: "/tags",
  teams_url: "/teams",
  trees_url: "/git/trees{/sha}",
};

export const repoUrl = (site: Site) => `${site.api}/repos/${site.owner}/${site.repo}`;

export function repository(site: Site) {
  const url = repoUrl(site);
  const html = `${web}/${site.owner}/${site.repo}`;
  return {
    id: 1296269,
    node_id: nodeId("Repository", 1296269),
    name: site.repo,
    full_name: `${site.owner}/${site.repo}`,
    owner: user(site, site.owner),
    private: true,
    html_url: html,
    description: null,
    fork: false,
    url,
    ...Object.fromEntries(Object.entries(REPO_LINKS).map(([key, path]) => [key, `${url}${path}`])),
    git_url: `git://github.com/${site.owner}/${site.repo}.git`,
    ssh_url: `git@github.com:${site.owner}/${site.repo}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    mirror_url: null,
    homepage: null,
    language: "TypeScript",
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 100,
    default_branch: "main",
    open_issues: 0,
    open_issues_count: 0,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    license: null,
    pushed_at: STAMP,
    created_at: STAMP,
    updated_at: STAMP,
  };
}

/** GET /repos/{owner}/{repo}: the repository with the counts only that call reports. */
export function fullRepository(site: Site) {
  return { ...repository(site), network_count: 0, subscribers_count: 0 };
}

export function commit(site: Site, sha: string) {
  const url = `${repoUrl(site)}/commits/${sha}`;
  const person = { name: "GitHub", email: "noreply@github.com", date: STAMP };
  return {
    sha,
    node_id: nodeId("Commit", sha),
    url,
    html_url: `${web}/${site.owner}/${site.repo}/commit/${sha}`,
    comments_url: `${url}/comments`,
    commit: {
      url: `${repoUrl(site)}/git/commits/${sha}`,
      author: person,
      committer: person,
      message: "A commit of the rehearsal",
      comment_count: 0,
      tree: { sha, url: `${repoUrl(site)}/git/trees/${sha}` },
    },
    author: null,
    committer: null,
    parents: [],
  };
}

export function shortBranch(site: Site, name: string, sha: string) {
  return { name, commit: { sha, url: `${repoUrl(site)}/commits/${sha}` }, protected: false };
}

export function branch(site: Site, name: string, sha: string) {
  const url = `${repoUrl(site)}/branches/${encodeURIComponent(name)}`;
  return {
    name,
    commit: commit(site, sha),
    _links: { html: `${web}/${site.owner}/${site.repo}/tree/${name}`, self: url },
    protected: false,
    protection: { enabled: false, required_status_checks: { enforcement_level: "off", contexts: [], checks: [] } },
    protection_url: `${url}/protection`,
  };
}
