//! Fonts: Noto Sans (Latin, Greek, Cyrillic), Arabic and Hebrew ship inside the binary.
//! Everything else is found on the system the first time a report is made: the Noto
//! Sans face of every other script installed (Debian `fonts-noto-core`: Thai,
//! Devanagari, Bengali, Tamil, …), Noto Sans CJK (`fonts-noto-cjk`), a monochrome
//! emoji face (`fonts-symbola`), and every font in the directories of
//! `CANARY_FONT_PATH`. Typst falls back through all of them per character; a
//! character no face covers is reported, never drawn as a box.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;

static EMBEDDED: [&[u8]; 6] = [
    include_bytes!("fonts/NotoSans-Regular.ttf"),
    include_bytes!("fonts/NotoSans-Bold.ttf"),
    include_bytes!("fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("fonts/NotoSansArabic-Bold.ttf"),
    include_bytes!("fonts/NotoSansHebrew-Regular.ttf"),
    include_bytes!("fonts/NotoSansHebrew-Bold.ttf"),
];

/// The CJK faces the templates use: Japanese, Korean and Simplified Chinese forms
/// (the collections also hold TC, HK and Mono faces, which only slow loading).
const CJK_FAMILIES: [&str; 3] = ["Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans CJK SC"];

/// Where distributions install Noto CJK.
const CJK_DIRS: [&str; 5] = [
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/opentype/noto-cjk",
    "/usr/local/share/fonts",
];

/// Where distributions install the per-script Noto Sans faces.
const SCRIPT_DIRS: [&str; 3] = [
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/noto",
    "/usr/share/fonts/google-noto",
];

/// Monochrome emoji faces (PDF/A embeds outlines; colour emoji fonts are bitmaps or
/// layered glyphs): Debian's `fonts-symbola`. Others can come in by `CANARY_FONT_PATH`.
const EMOJI_FILES: [&str; 1] = ["/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf"];

pub(crate) struct Fonts {
    pub book: LazyHash<FontBook>,
    /// One per face of `book`, in its order.
    slots: Vec<Slot>,
    /// Files the system faces come from, read the first time one of their faces is used.
    files: Vec<FontFile>,
    /// CJK families found, in the order the templates should prefer them.
    pub cjk_families: Vec<String>,
    /// Every character some face draws (checked once per report string).
    coverage: Vec<typst::text::Coverage>,
}

/// A face: embedded (parsed at start-up, its bytes are in the binary) or face `index`
/// of one of [`Fonts::files`], parsed when typst first asks for it.
enum Slot {
    Embedded(Font),
    File {
        file: usize,
        index: u32,
        font: OnceLock<Option<Font>>,
    },
}

struct FontFile {
    path: PathBuf,
    data: OnceLock<Option<Bytes>>,
}

impl FontFile {
    fn data(&self) -> Option<&Bytes> {
        self.data
            .get_or_init(|| std::fs::read(&self.path).ok().map(Bytes::new))
            .as_ref()
    }
}

impl Fonts {
    /// The process-wide font set. System faces are only scanned here; a report reads
    /// a file (the CJK collections are ~40 MB) only when its text needs one of its faces.
    pub fn get() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(Self::load)
    }

    /// The face at `index` of [`Fonts::book`].
    pub fn font(&self, index: usize) -> Option<Font> {
        match self.slots.get(index)? {
            Slot::Embedded(font) => Some(font.clone()),
            Slot::File { file, index, font } => font
                .get_or_init(|| Font::new(self.files[*file].data()?.clone(), *index))
                .clone(),
        }
    }

    fn load() -> Fonts {
        let mut faces = Faces::default();
        for data in EMBEDDED {
            if let Some(font) = Font::new(Bytes::new(data), 0) {
                faces.infos.push(font.info().clone());
                faces.slots.push(Slot::Embedded(font));
            }
        }
        let user_dirs: Vec<PathBuf> = std::env::var_os("CANARY_FONT_PATH")
            .map(|v| std::env::split_paths(&v).collect())
            .unwrap_or_default();
        for dir in &user_dirs {
            for path in files_in(dir, is_font_file) {
                faces.scan(path, |_| true);
            }
        }
        let loaded: HashSet<PathBuf> = user_dirs
            .iter()
            .flat_map(|d| files_in(d, is_font_file))
            .collect();
        for path in cjk_files(&user_dirs) {
            if !loaded.contains(&path) {
                faces.scan(path, |f| CJK_FAMILIES.contains(&f.family.as_str()));
            }
        }
        let embedded: HashSet<String> = faces.infos.iter().map(|f| f.family.clone()).collect();
        if let Some(dir) = SCRIPT_DIRS.iter().map(Path::new).find(|d| d.is_dir()) {
            for path in files_in(dir, is_script_face) {
                faces.scan(path, |f| !embedded.contains(&f.family));
            }
        }
        for path in EMOJI_FILES.iter().map(PathBuf::from) {
            if !loaded.contains(&path) {
                faces.scan(path, |_| true);
            }
        }
        let cjk_families = CJK_FAMILIES
            .iter()
            .filter(|fam| faces.infos.iter().any(|f| f.family == **fam))
            .map(|fam| fam.to_string())
            .collect();
        Fonts {
            coverage: faces.infos.iter().map(|f| f.coverage.clone()).collect(),
            book: LazyHash::new(FontBook::from_infos(faces.infos)),
            slots: faces.slots,
            files: faces.files,
            cjk_families,
        }
    }

    /// Whether some face can draw `c`.
    pub fn covers(&self, c: char) -> bool {
        self.coverage.iter().any(|cov| cov.contains(c as u32))
    }
}

/// The faces found so far, while loading.
#[derive(Default)]
struct Faces {
    infos: Vec<FontInfo>,
    slots: Vec<Slot>,
    files: Vec<FontFile>,
}

impl Faces {
    /// Adds the faces of `path` that `keep` wants; an unreadable file adds none.
    fn scan(&mut self, path: PathBuf, keep: impl Fn(&FontInfo) -> bool) {
        let Ok(data) = std::fs::read(&path) else {
            return;
        };
        let file = self.files.len();
        let before = self.slots.len();
        for font in Font::iter(Bytes::new(data)).filter(|f| keep(f.info())) {
            self.infos.push(font.info().clone());
            self.slots.push(Slot::File {
                file,
                index: font.index(),
                font: OnceLock::new(),
            });
        }
        if self.slots.len() > before {
            self.files.push(FontFile {
                path,
                data: OnceLock::new(),
            });
        }
    }
}

/// Noto Sans CJK collections (Regular and Bold), first directory that has them wins.
fn cjk_files(user_dirs: &[PathBuf]) -> Vec<PathBuf> {
    user_dirs
        .iter()
        .cloned()
        .chain(CJK_DIRS.iter().map(PathBuf::from))
        .map(|dir| {
            files_in(&dir, |n| {
                matches!(n, "NotoSansCJK-Regular.ttc" | "NotoSansCJK-Bold.ttc")
            })
        })
        .find(|found| !found.is_empty())
        .unwrap_or_default()
}

fn is_font_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".ttf", ".otf", ".ttc", ".otc"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// `NotoSans<Script>-Regular.ttf` / `-Bold.ttf`: one upright face per script, not
/// the Mono, Display, UI or unjoined variants.
fn is_script_face(name: &str) -> bool {
    let Some(script) = name.strip_prefix("NotoSans").and_then(|n| {
        n.strip_suffix("-Regular.ttf")
            .or(n.strip_suffix("-Bold.ttf"))
    }) else {
        return false;
    };
    !script.is_empty()
        && !["Mono", "Display", "UI", "Unjoined", "Looped"]
            .iter()
            .any(|v| script.contains(v))
}

fn files_in(dir: &Path, wanted: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(&wanted))
        .collect();
    found.sort();
    found
}
