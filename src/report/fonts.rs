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
use typst::text::{Font, FontBook};
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
    pub fonts: Vec<Font>,
    /// CJK families found, in the order the templates should prefer them.
    pub cjk_families: Vec<String>,
    /// Every character some face draws (checked once per report string).
    coverage: Vec<typst::text::Coverage>,
}

impl Fonts {
    /// The process-wide font set; loading the CJK collections reads ~40 MB, so once.
    pub fn get() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(Self::load)
    }

    fn load() -> Fonts {
        let mut fonts: Vec<Font> = EMBEDDED
            .iter()
            .filter_map(|data| Font::new(Bytes::new(*data), 0))
            .collect();
        let user_dirs: Vec<PathBuf> = std::env::var_os("CANARY_FONT_PATH")
            .map(|v| std::env::split_paths(&v).collect())
            .unwrap_or_default();
        for dir in &user_dirs {
            for path in files_in(dir, is_font_file) {
                fonts.extend(read_faces(&path, |_| true));
            }
        }
        let loaded: HashSet<PathBuf> = user_dirs
            .iter()
            .flat_map(|d| files_in(d, is_font_file))
            .collect();
        for path in cjk_files(&user_dirs) {
            if !loaded.contains(&path) {
                fonts.extend(read_faces(&path, |f| {
                    CJK_FAMILIES.contains(&f.info().family.as_str())
                }));
            }
        }
        let embedded: HashSet<String> = fonts.iter().map(|f| f.info().family.clone()).collect();
        if let Some(dir) = SCRIPT_DIRS.iter().map(Path::new).find(|d| d.is_dir()) {
            for path in files_in(dir, is_script_face) {
                fonts.extend(read_faces(&path, |f| !embedded.contains(&f.info().family)));
            }
        }
        for path in EMOJI_FILES.iter().map(PathBuf::from) {
            if !loaded.contains(&path) {
                fonts.extend(read_faces(&path, |_| true));
            }
        }
        let cjk_families = CJK_FAMILIES
            .iter()
            .filter(|fam| fonts.iter().any(|f| f.info().family == **fam))
            .map(|fam| fam.to_string())
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            coverage: fonts.iter().map(|f| f.info().coverage.clone()).collect(),
            fonts,
            cjk_families,
        }
    }

    /// Whether some face can draw `c`.
    pub fn covers(&self, c: char) -> bool {
        self.coverage.iter().any(|cov| cov.contains(c as u32))
    }
}

fn read_faces(path: &Path, keep: impl Fn(&Font) -> bool) -> Vec<Font> {
    match std::fs::read(path) {
        Ok(data) => Font::iter(Bytes::new(data)).filter(keep).collect(),
        Err(_) => Vec::new(),
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
