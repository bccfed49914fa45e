//! [`Cassette`]: the interactions of one file, what replays, what records, and saving.

use crate::error::VcrError;
use crate::matcher::{Matcher, RecordMode};
use crate::model::{from_yaml, to_yaml, Interaction, RecordedRequest, RecordedResponse};
use std::collections::VecDeque;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Opens the cassette at `path` with the default matchers ([`Matcher::DEFAULT`]): the
/// interactions it holds are loaded now, and new ones are written when the returned guard is
/// dropped (or on [`Cassette::save`]).
///
/// Calls go through it once it is on a channel: [`Cassette::channel`],
/// [`Cassette::channel_builder`], or [`Cassette::middleware`] on your own builder.
///
/// ```
/// use tchannel_vcr::{use_cassette, RecordMode};
/// let dir = tempfile::tempdir().unwrap();
/// let cassette = use_cassette(dir.path().join("new.yaml"), RecordMode::Once).unwrap();
/// assert!(!cassette.existed());
/// assert!(cassette.can_record());
/// let _channel = cassette.channel("my-test");
/// ```
pub fn use_cassette(path: impl AsRef<Path>, mode: RecordMode) -> Result<Cassette, VcrError> {
    Cassette::builder(path).record_mode(mode).load()
}

/// Options of a [`Cassette`] before it is loaded.
///
/// ```
/// use tchannel_vcr::{Cassette, Matcher, RecordMode};
/// let dir = tempfile::tempdir().unwrap();
/// let cassette = Cassette::builder(dir.path().join("kv.yaml"))
///     .record_mode(RecordMode::NewEpisodes)
///     .matchers([Matcher::ServiceName, Matcher::Endpoint, Matcher::Body])
///     .load()
///     .unwrap();
/// assert_eq!(cassette.matchers(), &[Matcher::ServiceName, Matcher::Endpoint, Matcher::Body]);
/// ```
#[derive(Debug, Clone)]
pub struct CassetteBuilder {
    path: PathBuf,
    mode: RecordMode,
    matchers: Vec<Matcher>,
}

impl CassetteBuilder {
    /// The record mode ([`RecordMode::Once`] by default).
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// use tchannel_vcr::{Cassette, RecordMode};
    /// let c = Cassette::builder(dir.path().join("c.yaml")).record_mode(RecordMode::All).load().unwrap();
    /// assert_eq!(c.record_mode(), RecordMode::All);
    /// ```
    pub fn record_mode(mut self, mode: RecordMode) -> Self {
        self.mode = mode;
        self
    }

    /// The attributes a request must match ([`Matcher::DEFAULT`] by default).
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// use tchannel_vcr::{Cassette, Matcher};
    /// // tchannel-python's defaults plus the hostport.
    /// let all = Matcher::DEFAULT.into_iter().chain([Matcher::HostPort]);
    /// let c = Cassette::builder(dir.path().join("c.yaml")).matchers(all).load().unwrap();
    /// assert_eq!(c.matchers().len(), 6);
    /// ```
    pub fn matchers(mut self, matchers: impl IntoIterator<Item = Matcher>) -> Self {
        self.matchers = matchers.into_iter().collect();
        self
    }

    /// Loads the file if it exists. A file that cannot be read, is not YAML, is not a tchannel
    /// cassette or is of another version is an error naming the file. YAML aliases may expand
    /// to at most 16 MiB of copies (about a byte per byte of text, 64 per node): past that,
    /// as with an "alias bomb", the file is refused as corrupt ([`VcrErrorKind::Corrupt`](crate::VcrErrorKind::Corrupt)),
    /// "aliases expand to more than 16 MiB at line N". Nesting deeper than the YAML parser's
    /// recursion limit is refused the same way.
    ///
    /// A missing file is a new, empty cassette, except in [`RecordMode::None`], which never
    /// records: there every call would fail, so a missing file is an error
    /// ([`VcrErrorKind::Missing`](crate::VcrErrorKind::Missing)), usually a wrong path or a
    /// cassette not recorded yet (tchannel-python loads it as empty and fails each call).
    ///
    /// ```
    /// use tchannel_vcr::{Cassette, RecordMode, VcrErrorKind};
    /// # let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("c.yaml");
    /// std::fs::write(&path, "interactions: []\nversion: 7\n").unwrap();
    /// let err = Cassette::builder(&path).load().unwrap_err();
    /// assert!(err.to_string().contains("version 7"));
    ///
    /// let missing = dir.path().join("not-recorded-yet.yaml");
    /// let err = Cassette::builder(&missing).record_mode(RecordMode::None).load().unwrap_err();
    /// assert!(matches!(err.kind(), VcrErrorKind::Missing));
    /// assert!(err.to_string().contains("does not exist"), "{err}");
    /// ```
    pub fn load(self) -> Result<Cassette, VcrError> {
        let (existed, interactions) = match std::fs::read(&self.path) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes)
                    .map_err(|e| VcrError::corrupt(&self.path, format!("not UTF-8 text: {e}")))?;
                (true, from_yaml(&self.path, &text)?)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if self.mode == RecordMode::None {
                    return Err(VcrError::missing(&self.path));
                }
                (false, Vec::new())
            }
            Err(e) => return Err(VcrError::io(&self.path, e)),
        };
        let next_id = interactions.len();
        let available = interactions
            .into_iter()
            .enumerate()
            .map(|(id, interaction)| Entry { id, interaction })
            .collect();
        Ok(Cassette {
            shared: Arc::new(Shared {
                path: self.path,
                mode: self.mode,
                matchers: self.matchers,
                existed,
                state: Mutex::new(State {
                    available,
                    played: Vec::new(),
                    recorded: Vec::new(),
                    unmatched: Vec::new(),
                    next_id,
                }),
            }),
        })
    }
}

/// A cassette in use: the recorded interactions of one file, and the guard that saves new
/// ones to it when dropped.
///
/// It follows tchannel-python's `Cassette`: a request that matches an interaction not yet
/// played replays its response (the first such in file order, so identical requests replay
/// in recorded order); otherwise, if the record mode allows it, the call goes out and the
/// interaction is recorded; otherwise the call fails with the request, the nearest recorded
/// candidates and what differed ([`UnmatchedRequest`]).
///
/// Saving writes nothing when nothing was recorded. Otherwise it writes the played
/// interactions in the order played, then the unplayed ones (except in
/// [`RecordMode::All`]), then the new ones, to a temporary file in the same directory that
/// is renamed over the cassette, so a cassette is never half-written.
///
/// A cassette dropped while its thread panics (a test that failed part way) is not saved:
/// the file is left as it was and what was recorded since the last save is dropped, with a
/// line on stderr, so a failed test never leaves a half-recorded cassette that later runs
/// would replay. [`Cassette::save`] still saves when called.
///
/// Keep the guard alive while the calls are made: calls through its channels after it is
/// dropped still replay and record, but nothing saves them any more.
///
/// ```
/// use tchannel_vcr::{Cassette, RecordMode};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("empty.yaml");
/// std::fs::write(&path, "interactions: []\nversion: 1\n").unwrap();
/// let cassette = Cassette::builder(&path).record_mode(RecordMode::None).load().unwrap();
/// assert!(cassette.existed() && !cassette.can_record());
/// assert_eq!(cassette.interactions().len(), 0);
/// cassette.save().unwrap(); // nothing recorded: the file is left alone
/// ```
pub struct Cassette {
    pub(crate) shared: Arc<Shared>,
}

pub(crate) struct Shared {
    pub path: PathBuf,
    pub mode: RecordMode,
    pub matchers: Vec<Matcher>,
    pub existed: bool,
    pub state: Mutex<State>,
}

#[derive(Clone)]
pub(crate) struct Entry {
    id: usize,
    interaction: Interaction,
}

pub(crate) struct State {
    available: VecDeque<Entry>,
    played: Vec<Entry>,
    recorded: Vec<Entry>,
    unmatched: Vec<UnmatchedRequest>,
    next_id: usize,
}

/// What the cassette does with a request.
pub(crate) enum Decision {
    Replay(RecordedResponse),
    Record,
    Refuse(UnmatchedRequest),
}

impl Cassette {
    /// Options for the cassette at `path`; [`CassetteBuilder::load`] opens it.
    ///
    /// ```
    /// use tchannel_vcr::{Cassette, Matcher, RecordMode};
    /// # let dir = tempfile::tempdir().unwrap();
    /// let c = Cassette::builder(dir.path().join("new.yaml")).load().unwrap();
    /// assert_eq!(c.record_mode(), RecordMode::Once);
    /// assert_eq!(c.matchers(), &Matcher::DEFAULT);
    /// assert!(!c.existed() && c.can_record()); // `once` records into a new cassette
    /// ```
    pub fn builder(path: impl AsRef<Path>) -> CassetteBuilder {
        CassetteBuilder {
            path: path.as_ref().to_owned(),
            mode: RecordMode::default(),
            matchers: Matcher::DEFAULT.to_vec(),
        }
    }

    /// The cassette's file.
    ///
    /// ```
    /// use tchannel_vcr::{ArgScheme, Cassette, RecordMode, RecordedRequest, RecordedResponse};
    /// # let dir = tempfile::tempdir().unwrap();
    /// let c = Cassette::builder(dir.path().join("c.yaml")).record_mode(RecordMode::NewEpisodes).load().unwrap();
    /// let req = RecordedRequest::new("svc", "echo", ArgScheme::Raw);
    /// assert!(c.replay(&req).unwrap().is_none()); // nothing recorded yet: make the call
    /// c.record(req.clone(), RecordedResponse::ok("", "hi"));
    /// assert_eq!((c.recorded_count(), c.play_count(), c.interactions().len()), (1, 0, 1));
    /// c.save().unwrap();
    /// assert!(c.path().exists());
    /// // Saved: it now replays.
    /// assert_eq!(c.replay(&req).unwrap().unwrap().body, "hi");
    /// assert_eq!((c.recorded_count(), c.play_count()), (0, 1));
    /// ```
    pub fn path(&self) -> &Path {
        &self.shared.path
    }

    /// The record mode.
    ///
    /// ```
    /// use tchannel_vcr::{Cassette, Matcher, RecordMode};
    /// # let dir = tempfile::tempdir().unwrap();
    /// let c = Cassette::builder(dir.path().join("new.yaml")).load().unwrap();
    /// assert_eq!(c.record_mode(), RecordMode::Once);
    /// assert_eq!(c.matchers(), &Matcher::DEFAULT);
    /// assert!(!c.existed() && c.can_record()); // `once` records into a new cassette
    /// ```
    pub fn record_mode(&self) -> RecordMode {
        self.shared.mode
    }

    /// The matchers.
    ///
    /// ```
    /// use tchannel_vcr::{Cassette, Matcher, RecordMode};
    /// # let dir = tempfile::tempdir().unwrap();
    /// let c = Cassette::builder(dir.path().join("new.yaml")).load().unwrap();
    /// assert_eq!(c.record_mode(), RecordMode::Once);
    /// assert_eq!(c.matchers(), &Matcher::DEFAULT);
    /// assert!(!c.existed() && c.can_record()); // `once` records into a new cassette
    /// ```
    pub fn matchers(&self) -> &[Matcher] {
        &self.shared.matchers
    }

    /// Whether the file existed when the cassette was loaded.
    ///
    /// ```
    /// use tchannel_vcr::{Cassette, Matcher, RecordMode};
    /// # let dir = tempfile::tempdir().unwrap();
    /// let c = Cassette::builder(dir.path().join("new.yaml")).load().unwrap();
    /// assert_eq!(c.record_mode(), RecordMode::Once);
    /// assert_eq!(c.matchers(), &Matcher::DEFAULT);
    /// assert!(!c.existed() && c.can_record()); // `once` records into a new cassette
    /// ```
    pub fn existed(&self) -> bool {
        self.shared.existed
    }

    /// Whether new interactions may be recorded (tchannel-python: not `write_protected`).
    ///
    /// ```
    /// use tchannel_vcr::{Cassette, Matcher, RecordMode};
    /// # let dir = tempfile::tempdir().unwrap();
    /// let c = Cassette::builder(dir.path().join("new.yaml")).load().unwrap();
    /// assert_eq!(c.record_mode(), RecordMode::Once);
    /// assert_eq!(c.matchers(), &Matcher::DEFAULT);
    /// assert!(!c.existed() && c.can_record()); // `once` records into a new cassette
    /// ```
    pub fn can_record(&self) -> bool {
        self.shared.can_record()
    }

    /// How many responses were replayed.
    ///
    /// ```
    /// use tchannel_vcr::{ArgScheme, Cassette, RecordMode, RecordedRequest, RecordedResponse};
    /// # let dir = tempfile::tempdir().unwrap();
    /// let c = Cassette::builder(dir.path().join("c.yaml")).record_mode(RecordMode::NewEpisodes).load().unwrap();
    /// let req = RecordedRequest::new("svc", "echo", ArgScheme::Raw);
    /// assert!(c.replay(&req).unwrap().is_none()); // nothing recorded yet: make the call
    /// c.record(req.clone(), RecordedResponse::ok("", "hi"));
    /// assert_eq!((c.recorded_count(), c.play_count(), c.interactions().len()), (1, 0, 1));
    /// c.save().unwrap();
    /// assert!(c.path().exists());
    /// // Saved: it now replays.
    /// assert_eq!(c.replay(&req).unwrap().unwrap().body, "hi");
    /// assert_eq!((c.recorded_count(), c.play_count()), (0, 1));
    /// ```
    pub fn play_count(&self) -> usize {
        self.shared.lock().played.len()
    }

    /// How many interactions were recorded and not saved yet.
    ///
    /// ```
    /// use tchannel_vcr::{ArgScheme, Cassette, RecordMode, RecordedRequest, RecordedResponse};
    /// # let dir = tempfile::tempdir().unwrap();
    /// let c = Cassette::builder(dir.path().join("c.yaml")).record_mode(RecordMode::NewEpisodes).load().unwrap();
    /// let req = RecordedRequest::new("svc", "echo", ArgScheme::Raw);
    /// assert!(c.replay(&req).unwrap().is_none()); // nothing recorded yet: make the call
    /// c.record(req.clone(), RecordedResponse::ok("", "hi"));
    /// assert_eq!((c.recorded_count(), c.play_count(), c.interactions().len()), (1, 0, 1));
    /// c.save().unwrap();
    /// assert!(c.path().exists());
    /// // Saved: it now replays.
    /// assert_eq!(c.replay(&req).unwrap().unwrap().body, "hi");
    /// assert_eq!((c.recorded_count(), c.play_count()), (0, 1));
    /// ```
    pub fn recorded_count(&self) -> usize {
        self.shared.lock().recorded.len()
    }

    /// Every interaction known: played, then not yet played, then newly recorded.
    ///
    /// ```
    /// use tchannel_vcr::{ArgScheme, Cassette, RecordMode, RecordedRequest, RecordedResponse};
    /// # let dir = tempfile::tempdir().unwrap();
    /// let c = Cassette::builder(dir.path().join("c.yaml")).record_mode(RecordMode::NewEpisodes).load().unwrap();
    /// let req = RecordedRequest::new("svc", "echo", ArgScheme::Raw);
    /// assert!(c.replay(&req).unwrap().is_none()); // nothing recorded yet: make the call
    /// c.record(req.clone(), RecordedResponse::ok("", "hi"));
    /// assert_eq!((c.recorded_count(), c.play_count(), c.interactions().len()), (1, 0, 1));
    /// c.save().unwrap();
    /// assert!(c.path().exists());
    /// // Saved: it now replays.
    /// assert_eq!(c.replay(&req).unwrap().unwrap().body, "hi");
    /// assert_eq!((c.recorded_count(), c.play_count()), (0, 1));
    /// ```
    pub fn interactions(&self) -> Vec<Interaction> {
        let s = self.shared.lock();
        s.played
            .iter()
            .chain(s.available.iter())
            .chain(s.recorded.iter())
            .map(|e| e.interaction.clone())
            .collect()
    }

    /// The requests that found no recorded response and could not be recorded, in order.
    ///
    /// ```
    /// use tchannel_vcr::{ArgScheme, Cassette, RecordMode, RecordedRequest};
    /// # let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("c.yaml");
    /// std::fs::write(&path, "interactions: []\nversion: 1\n").unwrap();
    /// let c = Cassette::builder(&path).record_mode(RecordMode::None).load().unwrap();
    /// let req = RecordedRequest::new("svc", "echo", ArgScheme::Raw);
    /// assert!(c.replay(&req).is_err());
    /// assert_eq!(c.unmatched()[0].request, req);
    /// ```
    pub fn unmatched(&self) -> Vec<UnmatchedRequest> {
        self.shared.lock().unmatched.clone()
    }

    /// Writes the cassette if anything was recorded (atomically: a temporary file renamed
    /// over it). Dropping the cassette does the same, reporting a failure on stderr, except
    /// while the thread panics: then nothing is saved.
    ///
    /// ```
    /// use tchannel_vcr::{ArgScheme, Cassette, RecordMode, RecordedRequest, RecordedResponse};
    /// # let dir = tempfile::tempdir().unwrap();
    /// let c = Cassette::builder(dir.path().join("c.yaml")).record_mode(RecordMode::NewEpisodes).load().unwrap();
    /// let req = RecordedRequest::new("svc", "echo", ArgScheme::Raw);
    /// assert!(c.replay(&req).unwrap().is_none()); // nothing recorded yet: make the call
    /// c.record(req.clone(), RecordedResponse::ok("", "hi"));
    /// assert_eq!((c.recorded_count(), c.play_count(), c.interactions().len()), (1, 0, 1));
    /// c.save().unwrap();
    /// assert!(c.path().exists());
    /// // Saved: it now replays.
    /// assert_eq!(c.replay(&req).unwrap().unwrap().body, "hi");
    /// assert_eq!((c.recorded_count(), c.play_count()), (0, 1));
    /// ```
    pub fn save(&self) -> Result<(), VcrError> {
        self.shared.save()
    }

    /// Replays or records `request` as the record mode says, without the network: the
    /// decision [`Cassette::middleware`] acts on. `Ok(Some(response))` is a replay,
    /// `Ok(None)` means the call should be made and then passed to [`Cassette::record`].
    ///
    /// ```
    /// use tchannel_vcr::{ArgScheme, Cassette, RecordMode, RecordedRequest, RecordedResponse};
    /// # let dir = tempfile::tempdir().unwrap();
    /// let c = Cassette::builder(dir.path().join("c.yaml")).record_mode(RecordMode::NewEpisodes).load().unwrap();
    /// let req = RecordedRequest::new("svc", "echo", ArgScheme::Raw);
    /// assert!(c.replay(&req).unwrap().is_none()); // nothing recorded yet: make the call
    /// c.record(req.clone(), RecordedResponse::ok("", "hi"));
    /// assert_eq!((c.recorded_count(), c.play_count(), c.interactions().len()), (1, 0, 1));
    /// c.save().unwrap();
    /// assert!(c.path().exists());
    /// // Saved: it now replays.
    /// assert_eq!(c.replay(&req).unwrap().unwrap().body, "hi");
    /// assert_eq!((c.recorded_count(), c.play_count()), (0, 1));
    /// ```
    pub fn replay(
        &self,
        request: &RecordedRequest,
    ) -> Result<Option<RecordedResponse>, Box<UnmatchedRequest>> {
        match self.shared.decide(request) {
            Decision::Replay(r) => Ok(Some(r)),
            Decision::Record => Ok(None),
            Decision::Refuse(u) => Err(Box::new(u)),
        }
    }

    /// Adds an interaction to be saved (what the middleware does after a call it let
    /// through). Ignored when the record mode does not allow recording.
    ///
    /// ```
    /// use tchannel_vcr::{ArgScheme, Cassette, RecordMode, RecordedRequest, RecordedResponse};
    /// # let dir = tempfile::tempdir().unwrap();
    /// let c = Cassette::builder(dir.path().join("c.yaml")).record_mode(RecordMode::NewEpisodes).load().unwrap();
    /// let req = RecordedRequest::new("svc", "echo", ArgScheme::Raw);
    /// assert!(c.replay(&req).unwrap().is_none()); // nothing recorded yet: make the call
    /// c.record(req.clone(), RecordedResponse::ok("", "hi"));
    /// assert_eq!((c.recorded_count(), c.play_count(), c.interactions().len()), (1, 0, 1));
    /// c.save().unwrap();
    /// assert!(c.path().exists());
    /// // Saved: it now replays.
    /// assert_eq!(c.replay(&req).unwrap().unwrap().body, "hi");
    /// assert_eq!((c.recorded_count(), c.play_count()), (0, 1));
    /// ```
    pub fn record(&self, request: RecordedRequest, response: RecordedResponse) {
        self.shared.record(request, response)
    }
}

impl fmt::Debug for Cassette {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cassette")
            .field("path", &self.shared.path)
            .field("record_mode", &self.shared.mode)
            .field("existed", &self.shared.existed)
            .finish_non_exhaustive()
    }
}

impl Drop for Cassette {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let dropped = self.shared.lock().recorded.len();
            if dropped > 0 {
                eprintln!(
                    "tchannel-vcr: cassette {} not saved: dropped while panicking, so its {dropped} \
                     new interaction(s) may be a half-recorded test; the file is left as it was",
                    self.shared.path.display()
                );
            }
            return;
        }
        if let Err(e) = self.shared.save() {
            eprintln!("tchannel-vcr: {e}");
        }
    }
}

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves the state consistent (every change
        // is one push or move), so go on with it.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn can_record(&self) -> bool {
        self.mode.can_record(self.existed)
    }

    fn matches(&self, a: &RecordedRequest, b: &RecordedRequest) -> bool {
        self.matchers.iter().all(|m| m.matches(a, b))
    }

    pub fn decide(&self, request: &RecordedRequest) -> Decision {
        let mut s = self.lock();
        if self.mode.replays() {
            if let Some(i) = s
                .available
                .iter()
                .position(|e| self.matches(request, &e.interaction.request))
            {
                let entry = s.available.remove(i).expect("index from position");
                let response = entry.interaction.response.clone();
                s.played.push(entry);
                return Decision::Replay(response);
            }
        }
        if self.can_record() {
            return Decision::Record;
        }
        let unmatched = self.unmatched(&s, request);
        s.unmatched.push(unmatched.clone());
        Decision::Refuse(unmatched)
    }

    pub fn record(&self, request: RecordedRequest, response: RecordedResponse) {
        if !self.can_record() {
            return;
        }
        let mut s = self.lock();
        let id = s.next_id;
        s.next_id += 1;
        s.recorded.push(Entry {
            id,
            interaction: Interaction { request, response },
        });
    }

    fn unmatched(&self, s: &State, request: &RecordedRequest) -> UnmatchedRequest {
        let mut candidates: Vec<Candidate> = s
            .played
            .iter()
            .map(|e| (e, true))
            .chain(s.available.iter().map(|e| (e, false)))
            .map(|(e, played)| {
                let differs: Vec<Difference> = self
                    .matchers
                    .iter()
                    .filter(|m| !m.matches(request, &e.interaction.request))
                    .map(|m| Difference {
                        matcher: *m,
                        recorded: m.show(&e.interaction.request),
                        requested: m.show(request),
                    })
                    .collect();
                Candidate {
                    index: e.id,
                    already_played: played,
                    request: e.interaction.request.clone(),
                    differences: differs,
                }
            })
            .collect();
        candidates.sort_by_key(|c| (c.differences.len(), c.index));
        candidates.truncate(3);
        UnmatchedRequest {
            cassette: self.path.clone(),
            record_mode: self.mode,
            existed: self.existed,
            request: request.clone(),
            candidates,
        }
    }

    pub fn save(&self) -> Result<(), VcrError> {
        let mut s = self.lock();
        if s.recorded.is_empty() {
            return Ok(());
        }
        let mut all: Vec<Entry> = s.played.clone();
        if self.mode.saves_unplayed() {
            all.extend(s.available.iter().cloned());
        }
        all.extend(s.recorded.iter().cloned());
        let interactions: Vec<Interaction> = all.iter().map(|e| e.interaction.clone()).collect();
        write_atomically(&self.path, to_yaml(&interactions).as_bytes())?;
        s.played.clear();
        s.recorded.clear();
        s.available = all.into();
        Ok(())
    }
}

/// Writes `data` to a temporary file beside `path` and renames it over `path`.
fn write_atomically(path: &Path, data: &[u8]) -> Result<(), VcrError> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| VcrError::io(path, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "cassette".into());
    let tmp = dir.join(format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        TMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(VcrError::io(path, e));
    }
    Ok(())
}

/// A request no recorded interaction answered, in a record mode that refused to record it:
/// the request, the nearest recorded candidates and what differed. Its `Display` is the
/// message the call fails with.
///
/// ```
/// use tchannel_vcr::{ArgScheme, Cassette, RecordMode, RecordedRequest};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("c.yaml");
/// std::fs::write(&path, "interactions: []\nversion: 1\n").unwrap();
/// let cassette = Cassette::builder(&path).record_mode(RecordMode::None).load().unwrap();
/// let unmatched = cassette.replay(&RecordedRequest::new("kv", "get", ArgScheme::Raw)).unwrap_err();
/// assert!(unmatched.to_string().contains("kv::get"));
/// assert!(unmatched.candidates.is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct UnmatchedRequest {
    /// The cassette's file.
    pub cassette: PathBuf,
    /// Its record mode.
    pub record_mode: RecordMode,
    /// Whether the file existed when loaded.
    pub existed: bool,
    /// The request.
    pub request: RecordedRequest,
    /// Up to three recorded interactions, those that differ in the fewest matchers first.
    pub candidates: Vec<Candidate>,
}

/// A recorded interaction close to an unmatched request.
///
/// ```
/// # use tchannel_vcr::{Candidate, Matcher};
/// fn first_difference(c: &Candidate) -> Option<Matcher> {
///     c.differences.first().map(|d| d.matcher)
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Its position in the cassette (0-based, file order when loaded, then recording order).
    pub index: usize,
    /// It matched but was replayed already (each recording replays once).
    pub already_played: bool,
    /// Its request.
    pub request: RecordedRequest,
    /// The matchers it fails, with both values.
    pub differences: Vec<Difference>,
}

/// One matcher an unmatched request fails against a candidate.
///
/// ```
/// # use tchannel_vcr::Difference;
/// fn describe(d: &Difference) -> String {
///     format!("{}: {} vs {}", d.matcher, d.recorded, d.requested)
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Difference {
    /// The matcher.
    pub matcher: Matcher,
    /// The candidate's value.
    pub recorded: String,
    /// The request's value.
    pub requested: String,
}

impl fmt::Display for UnmatchedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self.record_mode {
            RecordMode::Once => {
                "record mode `once` does not record into a cassette that already existed"
            }
            RecordMode::None => "record mode `none` never records",
            _ => "the record mode does not allow recording",
        };
        writeln!(
            f,
            "tchannel-vcr: no recorded interaction in cassette {} matches this request, and {why}",
            self.cassette.display()
        )?;
        writeln!(f, "  request: {}", self.request)?;
        if self.candidates.is_empty() {
            return write!(f, "  the cassette holds no interactions");
        }
        write!(f, "  nearest recorded:")?;
        for c in &self.candidates {
            write!(f, "\n  #{} {}", c.index, c.request)?;
            if c.differences.is_empty() {
                write!(
                    f,
                    "\n      matches, but was already replayed (each recording replays once, in recorded order)"
                )?;
            }
            for d in &c.differences {
                write!(
                    f,
                    "\n      {} differs: recorded {}, requested {}",
                    d.matcher, d.recorded, d.requested
                )?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for UnmatchedRequest {}

/// Reads the interactions of the cassette at `path` (for tools and tests; a [`Cassette`] is
/// what replays them). The errors are those of [`CassetteBuilder::load`], and a missing file
/// is an error here.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("c.yaml");
/// std::fs::write(&path, "interactions: []\nversion: 1\n").unwrap();
/// assert!(tchannel_vcr::read_cassette(&path).unwrap().is_empty());
/// assert!(tchannel_vcr::read_cassette(dir.path().join("missing.yaml")).is_err());
/// ```
pub fn read_cassette(path: impl AsRef<Path>) -> Result<Vec<Interaction>, VcrError> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|e| VcrError::io(path, e))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| VcrError::corrupt(path, format!("not UTF-8 text: {e}")))?;
    from_yaml(path, &text)
}

/// The text of a cassette holding `interactions`, as tchannel-python (PyYAML) writes it.
///
/// ```
/// use tchannel_vcr::{ArgScheme, Interaction, RecordedRequest, RecordedResponse};
/// let text = tchannel_vcr::cassette_yaml(&[Interaction {
///     request: RecordedRequest::new("svc", "echo", ArgScheme::Raw),
///     response: RecordedResponse::ok("", "hi"),
/// }]);
/// assert!(text.starts_with("interactions:\n- request:\n    argScheme: 0\n"));
/// assert!(text.ends_with("version: 1\n"));
/// ```
pub fn cassette_yaml(interactions: &[Interaction]) -> String {
    to_yaml(interactions)
}
