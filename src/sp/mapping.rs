//! Which SAML attribute carries each user field the SP needs: the IdP User ID and the User
//! Email (required), First Name and Last Name (optional). A mapping starts from a preset
//! ([`crate::sp::presets`]) and is overridden field by field (`user-id=...,email=...`).

use crate::sp::presets;

/// A user field the SP fills from an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Field {
    UserId,
    Email,
    FirstName,
    LastName,
}

impl Field {
    pub const ALL: [Field; 4] = [
        Field::UserId,
        Field::Email,
        Field::FirstName,
        Field::LastName,
    ];

    /// The key in `--map KEY=ATTR` and in `samlcheck.toml`'s `[map]`.
    pub fn key(self) -> &'static str {
        match self {
            Field::UserId => "user-id",
            Field::Email => "email",
            Field::FirstName => "first-name",
            Field::LastName => "last-name",
        }
    }

    /// The name the SP's settings page gives the field.
    pub fn label(self) -> &'static str {
        match self {
            Field::UserId => "IdP User ID",
            Field::Email => "User Email",
            Field::FirstName => "First Name",
            Field::LastName => "Last Name",
        }
    }

    /// Without the user ID and the email the SP cannot log anyone in.
    pub fn required(self) -> bool {
        matches!(self, Field::UserId | Field::Email)
    }

    /// The field for a key, with `_` for `-` and Sentry's own names accepted.
    pub fn from_key(key: &str) -> Option<Field> {
        match key.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "user-id" | "userid" | "identifier" | "idp-user-id" => Some(Field::UserId),
            "email" | "user-email" => Some(Field::Email),
            "first-name" | "firstname" => Some(Field::FirstName),
            "last-name" | "lastname" => Some(Field::LastName),
            _ => None,
        }
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Why a mapping could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("`{0}` is not FIELD=ATTRIBUTE (the fields are user-id, email, first-name, last-name)")]
    NotAPair(String),
    #[error("`{0}` is not a field; the fields are user-id, email, first-name and last-name")]
    UnknownField(String),
    #[error("{key} is mapped to an empty attribute name", key = .0.key())]
    EmptyName(Field),
    #[error("`{0}` is not a preset; the presets are {list}", list = presets::names().collect::<Vec<_>>().join(", "))]
    UnknownPreset(String),
}

/// The attribute name (SAML `Name`) for each field; `None` where nothing is mapped.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct AttributeMapping {
    #[serde(rename = "user-id")]
    pub user_id: Option<String>,
    pub email: Option<String>,
    #[serde(rename = "first-name")]
    pub first_name: Option<String>,
    #[serde(rename = "last-name")]
    pub last_name: Option<String>,
}

impl AttributeMapping {
    /// The mapping of a preset by name (`okta`, `entra`, `azure`...).
    pub fn preset(name: &str) -> Result<AttributeMapping, MappingError> {
        presets::preset(name)
            .map(presets::Preset::mapping)
            .ok_or_else(|| MappingError::UnknownPreset(name.trim().to_string()))
    }

    /// A mapping from `user-id=ATTR,email=ATTR,...` (see [`AttributeMapping::apply`]).
    pub fn parse(spec: &str) -> Result<AttributeMapping, MappingError> {
        let mut m = AttributeMapping::default();
        m.apply(spec)?;
        Ok(m)
    }

    /// The mapping from `samlcheck.toml`'s `[map]` table.
    pub fn from_config(map: &crate::config::Mapping) -> AttributeMapping {
        AttributeMapping {
            user_id: map.user_id.clone(),
            email: map.email.clone(),
            first_name: map.first_name.clone(),
            last_name: map.last_name.clone(),
        }
    }

    pub fn get(&self, field: Field) -> Option<&str> {
        match field {
            Field::UserId => self.user_id.as_deref(),
            Field::Email => self.email.as_deref(),
            Field::FirstName => self.first_name.as_deref(),
            Field::LastName => self.last_name.as_deref(),
        }
    }

    pub fn set(&mut self, field: Field, name: Option<String>) {
        let slot = match field {
            Field::UserId => &mut self.user_id,
            Field::Email => &mut self.email,
            Field::FirstName => &mut self.first_name,
            Field::LastName => &mut self.last_name,
        };
        *slot = name;
    }

    /// Overrides fields from `FIELD=ATTR` pairs separated by commas (or given one per `--map`).
    /// A comma not followed by a known field belongs to the attribute name, so names that
    /// contain commas survive.
    pub fn apply(&mut self, spec: &str) -> Result<(), MappingError> {
        let mut pairs: Vec<String> = Vec::new();
        for piece in spec.split(',') {
            let starts_pair = piece
                .split_once('=')
                .is_some_and(|(k, _)| Field::from_key(k).is_some());
            match pairs.last_mut() {
                Some(last) if !starts_pair => {
                    last.push(',');
                    last.push_str(piece);
                }
                _ => pairs.push(piece.to_string()),
            }
        }
        for pair in pairs {
            if pair.trim().is_empty() {
                continue;
            }
            let (key, name) = pair
                .split_once('=')
                .ok_or_else(|| MappingError::NotAPair(pair.trim().to_string()))?;
            let field = Field::from_key(key)
                .ok_or_else(|| MappingError::UnknownField(key.trim().into()))?;
            let name = name.trim();
            if name.is_empty() {
                return Err(MappingError::EmptyName(field));
            }
            self.set(field, Some(name.to_string()));
        }
        Ok(())
    }

    /// This mapping with every field `other` sets taken from `other`.
    pub fn overridden_by(mut self, other: &AttributeMapping) -> AttributeMapping {
        for field in Field::ALL {
            if let Some(name) = other.get(field) {
                self.set(field, Some(name.to_string()));
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pairs_and_overrides_a_preset() {
        let m = AttributeMapping::preset("okta")
            .unwrap()
            .overridden_by(&AttributeMapping::parse("user_id = uid, Email=mail").unwrap());
        assert_eq!(m.get(Field::UserId), Some("uid"));
        assert_eq!(m.get(Field::Email), Some("mail"));
        assert_eq!(m.get(Field::FirstName), Some("firstName"));
    }

    #[test]
    fn commas_inside_names_stay() {
        let m = AttributeMapping::parse("email=a,b,first-name=c").unwrap();
        assert_eq!(m.email.as_deref(), Some("a,b"));
        assert_eq!(m.first_name.as_deref(), Some("c"));
    }

    #[test]
    fn bad_specs_are_errors() {
        assert_eq!(
            AttributeMapping::parse("mail=x"),
            Err(MappingError::UnknownField("mail".into()))
        );
        assert_eq!(
            AttributeMapping::parse("email"),
            Err(MappingError::NotAPair("email".into()))
        );
        assert_eq!(
            AttributeMapping::parse("user-id= "),
            Err(MappingError::EmptyName(Field::UserId))
        );
        let e = AttributeMapping::preset("octa").unwrap_err();
        assert!(e.to_string().contains("okta, entra"), "{e}");
        assert_eq!(
            AttributeMapping::parse("").unwrap(),
            AttributeMapping::default()
        );
    }

    #[test]
    fn reads_the_config_table() {
        let c = crate::config::Mapping {
            user_id: Some("uid".into()),
            ..Default::default()
        };
        assert_eq!(
            AttributeMapping::from_config(&c).user_id.as_deref(),
            Some("uid")
        );
    }
}
